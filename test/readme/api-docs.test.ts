// The API reference (`npm run docs`, TypeDoc) is only as good as the comments it renders: every
// symbol an entry point exports (`netcred/core`, `/issuer`, `/holder`, `/verifier`, `/veramo`) must
// carry a doc comment on its declaration. The TypeScript compiler lists each module's exports,
// follows re-export aliases to the declaration and reads its JSDoc/TSDoc.
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const typedoc = JSON.parse(readFileSync(resolve(repo, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
const ENTRY_POINTS = ['core/index.ts', 'issuer/index.ts', 'holder/index.ts', 'verifier/index.ts', 'veramo/index.ts'].filter((e) =>
  existsSync(resolve(repo, e)),
);

let program: ts.Program;

beforeAll(() => {
  const config = ts.getParsedCommandLineOfConfigFile(resolve(repo, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error('tsconfig.build.json does not parse');
  program = ts.createProgram(
    ENTRY_POINTS.map((e) => resolve(repo, e)),
    { ...config.options, noEmit: true },
  );
}, 180_000);

/** The exports of an entry point whose declaration has no doc comment, as `entry:name (file)`. */
function undocumented(entry: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(resolve(repo, entry));
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${entry} is not a module of the program`);
  const exports = checker.getExportsOfModule(module);
  expect(exports.length, `${entry} exports nothing`).toBeGreaterThan(0);
  return exports.flatMap((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = symbol.declarations ?? [];
    const documented =
      symbol.getDocumentationComment(checker).some((part) => part.text.trim() !== '') ||
      declarations.some((d) => ts.getJSDocCommentsAndTags(d).some((doc) => ts.isJSDoc(doc) && (doc.comment !== undefined || (doc.tags?.length ?? 0) > 0)));
    if (documented) return [];
    const at = declarations[0] ? relative(repo, declarations[0].getSourceFile().fileName) : '?';
    return [`${entry.split('/')[0]}:${exported.name} (${at})`];
  });
}

describe('API reference: every exported symbol is documented', () => {
  it('typedoc.json documents exactly the package entry points', () => {
    expect([...typedoc.entryPoints].sort()).toEqual([...ENTRY_POINTS].sort());
    const pkg = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(
      Object.keys(pkg.exports)
        .map((k) => `${k.slice(2)}/index.ts`)
        .sort(),
    ).toEqual([...ENTRY_POINTS].sort());
  });

  for (const entry of ENTRY_POINTS) {
    it(`${entry}: each export has a doc comment on its declaration`, () => {
      expect(undocumented(entry)).toEqual([]);
    });
  }

  it('the check sees a missing comment (an undocumented export in a throwaway module fails it)', () => {
    const file = resolve(repo, 'core/__api_docs_probe__.ts');
    const host = ts.createCompilerHost({ noEmit: true });
    const read = host.readFile.bind(host);
    host.readFile = (f) =>
      f === file ? '/** Documented. */\nexport const documented = 1;\nexport const bare = 2;\nexport type { JwsAlg } from "./jose/alg.js";\n' : read(f);
    const exists = host.fileExists.bind(host);
    host.fileExists = (f) => f === file || exists(f);
    const saved = program;
    program = ts.createProgram([file], { noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }, host);
    try {
      const missing = undocumented('core/__api_docs_probe__.ts');
      expect(missing).toEqual(['core:bare (core/__api_docs_probe__.ts)']);
    } finally {
      program = saved;
    }
  });
});
