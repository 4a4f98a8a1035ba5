// What `npm publish` would upload: `npm pack --dry-run --json` of the built tree (scripts off, so it
// reads the dist/ that `pretest` built). It must hold what a user needs (every module built with its
// types, the JSON schemas, the docs, README, LICENSE, CHANGELOG, package.json) and nothing else: no
// tests, benches, wallets or databases, coverage, reports, test artifacts, generated API docs, or
// source maps (they point at .ts sources that are not shipped).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');

interface PackJson {
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}
interface PackageJson {
  engines: { node: string };
  bin: Record<string, string>;
  exports: Record<string, { types: string; import: string }>;
  dependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as PackageJson;
const tracked = (...pathspecs: string[]): string[] =>
  execFileSync('git', ['ls-files', '--', ...pathspecs], { cwd: repo, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
const strip = (p: string): string => p.replace(/^\.\//, '');

let packed: PackJson;
let files: Set<string>;

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/cli/main.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does it first)');
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repo, encoding: 'utf8' });
  packed = (JSON.parse(out) as PackJson[])[0]!;
  files = new Set(packed.files.map((f) => f.path));
}, 120_000);

describe('npm pack: what a user gets', () => {
  it('holds package.json, README.md, LICENSE, CHANGELOG.md, the bin and every exported entry point with its types', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) expect(files, f).toContain(f);
    for (const target of Object.values(pkg.bin)) expect(files, target).toContain(strip(target));
    expect(Object.keys(pkg.exports).length).toBeGreaterThanOrEqual(4);
    for (const entry of Object.values(pkg.exports)) {
      expect(files, entry.import).toContain(strip(entry.import));
      expect(files, entry.types).toContain(strip(entry.types));
    }
  });

  it('holds every module of the library and the CLI, built, each with its .d.ts', () => {
    // The browser pages (**/web/**) are bundled by vite into dist/web; the rest is compiled by tsc one file per module.
    const sources = tracked('core', 'issuer', 'holder', 'verifier', 'veramo', 'schemas', 'cli').filter(
      (p) => p.endsWith('.ts') && !p.endsWith('.d.ts') && !p.includes('/web/'),
    );
    expect(sources.length).toBeGreaterThan(100);
    const missing = sources.flatMap((src) => [`dist/${src.replace(/\.ts$/, '.js')}`, `dist/${src.replace(/\.ts$/, '.d.ts')}`]).filter((p) => !files.has(p));
    expect(missing).toEqual([]);
    const jsWithoutTypes = [...files].filter((p) => /^dist\/(?!web\/).*\.js$/.test(p) && !files.has(p.replace(/\.js$/, '.d.ts')));
    expect(jsWithoutTypes).toEqual([]);
  });

  it('holds the JSON schemas, the type metadata, the DCQL profiles and the docs (Markdown, OpenAPI, examples)', () => {
    const wanted = [...tracked('schemas').filter((p) => p.endsWith('.json')), ...tracked('docs').filter((p) => !p.startsWith('docs/api/'))];
    expect(wanted.filter((p) => p.endsWith('.json') && p.startsWith('schemas/')).length).toBeGreaterThan(3);
    expect(wanted.filter((p) => !files.has(p))).toEqual([]);
  });

  it('holds nothing else: no tests, benches, wallets, databases, coverage, reports, artifacts, API docs or source maps', () => {
    // dist/<folder>: the folders tsconfig.build.json compiles (bench/ excepted), the JSON documents the code imports, the pages.
    const build = JSON.parse(readFileSync(join(repo, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    const distRoots = [...build.include.filter((d) => d !== 'bench'), 'docs', 'web'];
    const allowed = [
      /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/,
      new RegExp(`^dist/(${distRoots.join('|')})/.+\\.(js|d\\.ts|json|html|css|svg|png|woff2)$`),
      /^schemas\/.+\.json$/,
      /^docs\/(?!api\/).+\.(md|json|png|svg)$/,
    ];
    const forbidden = [
      /(^|\/)test\//,
      /(^|\/)bench\//,
      /(^|\/)\.netcred/,
      /\.sqlite/,
      /^coverage\//,
      /^reports\//,
      /^test-artifacts\//,
      /^docs\/api\//,
      /\.map$/,
      /\.test\.(js|d\.ts)$/,
      /(?<!\.d)\.ts$/,
      /\.stryker-tmp/,
    ];
    const unexpected = [...files].filter((p) => !allowed.some((re) => re.test(p)) || forbidden.some((re) => re.test(p)));
    expect(unexpected).toEqual([]);
    // A stray data file shows first as weight: today the tarball is about 0.8 MB.
    expect(packed.size).toBeLessThan(3_000_000);
  });

  it('declares the Node version its dependencies and its code need (import attributes `with { type: json }` need 20.10)', () => {
    const floor = (range: string): number[] => (/>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range)?.slice(1) ?? []).map((n) => Number(n ?? 0));
    const newer = (a: number[], b: number[]): boolean => {
      for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
      return false;
    };
    const ours = floor(pkg.engines.node);
    expect(ours).toEqual([20, 10, 0]);
    const needsMore = Object.keys(pkg.dependencies).flatMap((dep) => {
      const engines = (JSON.parse(readFileSync(join(repo, 'node_modules', dep, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines;
      const theirs = engines?.node ? floor(engines.node.split('||')[0]!) : [];
      return theirs.length > 0 && newer(theirs, ours) ? [`${dep} needs node ${engines?.node}`] : [];
    });
    expect(needsMore).toEqual([]);
    // The code really uses import attributes (else 20.0 would do and the floor above would be stale).
    expect(readFileSync(join(repo, 'schemas/index.ts'), 'utf8')).toMatch(/with \{ type: 'json' \}/);
  });
});
