import { readFileSync, statSync } from 'node:fs';
import { InputTooLargeError, NetcredError } from '../core/index.js';

/** Reads a file, or stdin for `-`, refusing more than `limit` bytes before reading it all. */
export async function readInput(source: string, limit: number, what: string): Promise<string> {
  if (source === '-') {
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
