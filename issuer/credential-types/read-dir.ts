import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NetcredError } from '../../core/errors.js';
import { TYPE_FILES, TYPE_LIMITS, type TypeDefinitionFiles } from './definition.js';

function missing(path: string, message: string): never {
  throw new NetcredError('TYPE_DEFINITION_INVALID', `invalid credential type directory: ${path} ${message}`, { details: [{ path, message }] });
}

/** A file of the directory, read up to one byte past the bound (parseTypeDefinition names an oversized file). */
function readBounded(dir: string, name: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(join(dir, name), 'r');
  } catch (cause) {
    missing(name, (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(cause as Error).message})`);
  }
  try {
    if (!fstatSync(fd).isFile()) missing(name, 'is not a file');
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, null);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a credential type directory: type.json, claims.schema.json, type-metadata.json and
 * profiles/NAME.dcql.json (optional), each read within its bound. A missing file is
 * TYPE_DEFINITION_INVALID naming it; the contents are checked by parseTypeDefinition.
 */
export function readTypeDirectory(dir: string): TypeDefinitionFiles {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // named below
  }
  if (!isDir) missing(dir, 'is not a directory');
  const files: TypeDefinitionFiles = {
    type: readBounded(dir, TYPE_FILES.type, TYPE_LIMITS.fileBytes),
    schema: readBounded(dir, TYPE_FILES.schema, TYPE_LIMITS.fileBytes),
    metadata: readBounded(dir, TYPE_FILES.metadata, TYPE_LIMITS.fileBytes),
  };
  const profilesDir = join(dir, TYPE_FILES.profiles);
  let names: string[] = [];
  try {
    names = readdirSync(profilesDir).filter((f) => f.endsWith(TYPE_FILES.profileSuffix));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') missing(TYPE_FILES.profiles, `cannot be read (${(cause as Error).message})`);
  }
  if (names.length > TYPE_LIMITS.profiles) missing(TYPE_FILES.profiles, `holds more than ${TYPE_LIMITS.profiles} profiles`);
  if (names.length) {
    files.profiles = {};
    for (const f of names.sort()) files.profiles[f.slice(0, -TYPE_FILES.profileSuffix.length)] = readBounded(profilesDir, f, TYPE_LIMITS.profileBytes);
  }
  return files;
}
