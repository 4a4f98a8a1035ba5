import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary directory; call the returned cleanup in afterAll/afterEach. */
export function tempDir(prefix = 'netcred-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Path of the shared test vectors (../shared/vectors beside the repo). */
export const vectorsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../shared/vectors');
