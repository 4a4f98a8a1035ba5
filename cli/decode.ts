import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { InputTooLargeError, NetcredError } from '../core/errors.js';
import { decodeSdJwt, MAX_DECODE_INPUT } from '../core/sd-jwt/decode.js';
import { printJson } from './context.js';

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

/** `netcred decode [FILE|-]`: header, payload, disclosures with digests, KB-JWT, as JSON. Verifies nothing. */
export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description('decode an SD-JWT (or SD-JWT+KB, vc+jwt, EnvelopedVerifiableCredential) without verifying it; prints JSON')
    .argument('[file]', 'file holding the token, or - for stdin', '-')
    .option('--json', 'print JSON (the default; accepted for symmetry)')
    .action(async (file: string) => {
      const text = await readInput(file, MAX_DECODE_INPUT, 'SD-JWT');
      const decoded = decodeSdJwt(text);
      printJson(decoded);
    });
}
