import { readFileSync, statSync } from 'node:fs';
import { InputTooLargeError, NetcredError } from '../core/index.js';

/**
 * Refuses to read `-` from a terminal: with no file argument the command would otherwise wait
 * silently for typed input that nobody meant to type.
 */
export function assertStdinPiped(what: string): void {
  if (process.stdin.isTTY) throw new NetcredError('INVALID_INPUT', `no ${what} given: name a file, or pipe it into stdin (\`... | netcred <command> -\`)`);
}

/** Reads a file, or stdin for `-`, refusing more than `limit` bytes before reading it all. */
export async function readInput(source: string, limit: number, what: string): Promise<string> {
  if (source === '-') {
    assertStdinPiped(what);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new InputTooLargeError(what, limit);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    if (statSync(source).size > limit) throw new InputTooLargeError(what, limit);
    return readFileSync(source, 'utf8');
  } catch (cause) {
    if (cause instanceof NetcredError) throw cause;
    throw new NetcredError('FILE_UNREADABLE', `cannot read ${what} from ${source}: ${(cause as Error).message}`, { cause });
  }
}
