import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary directory; call the returned cleanup in afterAll/afterEach. */
export function tempDir(prefix = 'netcred-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Path of the shared test vectors: `NETCRED_VECTORS_DIR`, else the first `shared/vectors` found
 * beside the repository or beside one of its parents (a copy such as StrykerJS's sandbox,
 * `.stryker-tmp/sandbox-*`, sits deeper than the checkout).
 */
export const vectorsDir = findVectorsDir();

function findVectorsDir(): string {
  if (process.env.NETCRED_VECTORS_DIR) return path.resolve(process.env.NETCRED_VECTORS_DIR);
  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  for (let dir = repo; ; dir = path.dirname(dir)) {
    const candidate = path.join(path.dirname(dir), 'shared/vectors');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.join(path.dirname(repo), 'shared/vectors');
  }
}
