import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDLE_LOCK_MS, DEFAULT_KIOSK_AUD } from '../../holder/index.js';
import { STATUS_REASONS } from '../../issuer/index.js';
import { runCli, repoRoot } from '../helpers/cli.js';

/** Files reached from `file` through static imports (dynamic `import()` is what keeps startup cheap). */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?\sfrom\s+'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('CLI startup', () => {
  it('registers commands without loading any role code or heavy package', () => {
    const { files, packages } = staticGraph(path.join(repoRoot, 'cli/main.ts'));
    const rel = [...files].map((f) => path.relative(repoRoot, f));
    // Only commander, our errors, and one constant module may load before a command runs.
    expect([...packages]).toEqual(['commander']);
    expect(rel.filter((f) => !f.startsWith('cli/')).sort()).toEqual([
      'core/errors.ts',
      'core/errors/codes.ts',
      'core/storage-errors.ts',
      'verifier/oid4vp/admin-token.ts',
    ]);
    expect(rel.filter((f) => f.endsWith('.run.ts'))).toEqual([]);
  });

  it('help texts spell out the same constants the commands enforce', async () => {
    const [revoke, present, ui] = await Promise.all([
      runCli(['issuer', 'revoke', '--help']),
      runCli(['wallet', 'present', '--help']),
      runCli(['wallet', 'ui', '--help']),
    ]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout.replace(/\s+/g, ' ')).toContain(`one of ${STATUS_REASONS.join(', ')}`);
    expect(present.code).toBe(0);
    expect(present.stdout.replace(/\s+/g, ' ')).toContain(`or ${DEFAULT_KIOSK_AUD})`);
    expect(ui.code).toBe(0);
    expect(ui.stdout.replace(/\s+/g, ' ')).toContain(`without a click in the page (default: "${DEFAULT_IDLE_LOCK_MS / 1000}")`);
  });
});
