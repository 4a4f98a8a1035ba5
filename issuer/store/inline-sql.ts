import { NetcredError } from '../../core/errors.js';

/**
 * SQL literals, for statements sent to SQLite together in one `exec` (node-sqlite3 binds
 * parameters per prepared statement only, and every statement costs a round trip between the
 * main thread and its worker thread). Only what SQLite's own quote() produces for these types:
 * NULL, safe integers, and text in single quotes with quotes doubled (SQLite string literals
 * have no other escapes). NUL cannot be sent (exec reads C strings), so it is refused.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new NetcredError('INTERNAL', `not an integer SQL value: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new NetcredError('INVALID_INPUT', 'text values must not contain NUL');
    return `'${value.includes("'") ? value.replaceAll("'", "''") : value}'`;
  }
  throw new NetcredError('INTERNAL', `unsupported SQL value type: ${typeof value}`);
}

/**
 * `sql` with each `?` replaced by the literal of the next parameter. The statement text must
 * have no `?` other than placeholders (ours quote identifiers and hold no string literals).
 */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  const parts = placeholderSplit(sql);
  if (parts.length !== params.length + 1) throw new NetcredError('INTERNAL', `statement has ${parts.length - 1} placeholders for ${params.length} values`);
  // Joined once into a flat string: exec hands it to C++, which would otherwise flatten a rope of thousands of pieces.
  const out: string[] = new Array(parts.length * 2 - 1);
  out[0] = parts[0]!;
  for (let i = 0; i < params.length; i++) {
    out[2 * i + 1] = sqlLiteral(params[i]);
    out[2 * i + 2] = parts[i + 1]!;
  }
  return out.join('');
}

// The multi-row statements are built once per row count and reused, so their split is kept too.
const MAX_SPLITS = 256;
const splits = new Map<string, string[]>();

function placeholderSplit(sql: string): string[] {
  let parts = splits.get(sql);
  if (parts === undefined) {
    parts = sql.split('?');
    if (splits.size < MAX_SPLITS) splits.set(sql, parts);
  }
  return parts;
}
