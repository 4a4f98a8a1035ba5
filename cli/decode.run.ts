import { decodeSdJwt, MAX_DECODE_INPUT } from '../core/index.js';
import { printJson } from './context.js';
import { readInput } from './read-input.js';

export async function runDecode(file: string): Promise<void> {
  const text = await readInput(file, MAX_DECODE_INPUT, 'SD-JWT');
  const decoded = decodeSdJwt(text);
  printJson(decoded);
}
