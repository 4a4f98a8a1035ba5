import { NetcredError } from '../../core/index.js';

/**
 * The wallet PIN: $NETCRED_PIN, else typed on the terminal with no echo. Never a command-line
 * flag (it would land in shell history and `ps`). No terminal and no variable: PIN_REQUIRED.
 */
export async function readPin(prompt = 'wallet PIN: '): Promise<string> {
  const fromEnv = process.env.NETCRED_PIN;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new NetcredError('PIN_REQUIRED', 'the wallet PIN is required: set NETCRED_PIN or run on a terminal');
  return readHidden(prompt);
}

/** Reads a line from the terminal in raw mode, echoing nothing. */
export function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new NetcredError('CANCELLED', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** A yes/no question on the terminal; anything but y/yes is no. */
export async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
