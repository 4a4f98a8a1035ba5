import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { InputTooLargeError, NetcredError } from '../../core/errors.js';
import { emptyTrustBundle, parseTrustBundle, TrustBundleError, type TrustBundle } from './bundle.js';
import { TrustStore } from './store.js';
import { assertJsonDepth } from '../../core/encoding/json.js';
import { syncCommand } from '../sync-hint.js';

/** A bundle holds status lists (a few hundred KB each at most): 256 MiB is far beyond any real one. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

/**
 * Reads and checks a trust bundle file (what `netcred verifier sync` writes).
 *
 * @throws NetcredError `TRUST_BUNDLE_NOT_FOUND` (no such file), `INPUT_TOO_LARGE`, `INPUT_TOO_DEEP`, or
 * TrustBundleError `TRUST_BUNDLE_INVALID` (not JSON, or not a trust bundle).
 */
export function readTrustBundle(file: string): TrustBundle {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new NetcredError(
      'TRUST_BUNDLE_NOT_FOUND',
      `cannot read trust bundle ${file}: make it while online with ${syncCommand(undefined, file)} (or netcred verifier trust add)`,
      { cause },
    );
  }
  if (size > MAX_BUNDLE_BYTES) throw new InputTooLargeError(`trust bundle ${file}`, MAX_BUNDLE_BYTES);
  let json: unknown;
  const text = readFileSync(file, 'utf8');
  assertJsonDepth(text, `trust bundle ${file}`);
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TrustBundleError(`trust bundle ${file} is not JSON`, cause);
  }
  return parseTrustBundle(json);
}

/** The bundle at `file`, or an empty one if the file does not exist yet (for `trust add` / `sync`). */
export function readOrCreateTrustBundle(file: string): TrustBundle {
  try {
    statSync(file);
  } catch {
    return emptyTrustBundle();
  }
  return readTrustBundle(file);
}

/** Writes atomically (temp file + rename): a verifier never loads a half-written bundle. */
export function writeTrustBundle(file: string, bundle: TrustBundle): void {
  // Validate by building a store first: never write a bundle that would not load.
  new TrustStore(bundle);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, file);
}

/** Reads a bundle file and builds the in-memory TrustStore (keys imported, lists decoded) once. */
export function loadTrustBundle(file: string): TrustStore {
  return new TrustStore(readTrustBundle(file));
}
