import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/index.js';
import {
  acceptOffer,
  listenForRedirect,
  Oid4vciClientError,
  unlockWallet,
  type AuthorizationStep,
  type LoopbackRedirect,
  type TxCodeSpec,
} from '../../holder/index.js';
import { dataDirOf, printJson } from '../context.js';
import { readPin } from './prompt.js';

export type WalletAcceptOpts = {
  txCodeFromEnv?: boolean;
  batch: string;
  config?: string;
  json?: boolean;
  authorizationCode?: boolean;
  clientId: string;
  authorizationTimeout: string;
};

/** One line from stdin, prompting on stderr (the terminal, or a pipe in scripts). */
function readLine(prompt: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
    let answered = false;
    rl.on('close', () => {
      if (!answered) resolve(undefined);
    });
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

function askTxCode(fromEnv: boolean): (spec: TxCodeSpec) => Promise<string> {
  return async (spec) => {
    if (fromEnv) {
      const code = process.env.NETCRED_TX_CODE;
      if (!code) throw new Oid4vciClientError('TX_CODE_REQUIRED', 'the offer requires a transaction code: set NETCRED_TX_CODE');
      return code;
    }
    const hint = [spec.description, spec.length ? `${spec.length} ${spec.input_mode === 'numeric' ? 'digits' : 'characters'}` : undefined]
      .filter(Boolean)
      .join(', ');
    const code = await readLine(`transaction code${hint ? ` (${hint})` : ''}: `);
    if (!code) throw new Oid4vciClientError('TX_CODE_REQUIRED', 'the offer requires a transaction code and none was entered');
    return code;
  };
}

/**
 * The browser step of the authorization code flow: the authorization URL goes to stderr (as a
 * JSON line with --json) for the resident to open; the answer comes back to a loopback listener
 * (RFC 8252), started only when the flow needs it.
 */
function browserStep(opts: WalletAcceptOpts, timeoutMs: number): AuthorizationStep & { close(): Promise<void> } {
  let redirect: Promise<LoopbackRedirect> | undefined;
  const listener = () => (redirect ??= listenForRedirect(timeoutMs));
  return {
    clientId: opts.clientId,
    redirectUri: async () => (await listener()).redirectUri,
    authorize: async (url) => {
      if (opts.json) process.stderr.write(`${JSON.stringify({ authorizationUrl: url })}\n`);
      else process.stderr.write(`open this URL in a browser and show its reference at the enrollment point:\n${url}\n`);
      return (await listener()).response();
    },
    close: async () => {
      if (redirect !== undefined) await (await redirect).close();
    },
  };
}

export async function runWalletAccept(offerUri: string, opts: WalletAcceptOpts, cmd: Command): Promise<void> {
  if (!/^\d{1,2}$/.test(opts.batch) || Number(opts.batch) < 1)
    throw new InvalidInputError('--batch must be a positive integer', [{ path: 'batch', message: 'not a positive integer' }]);
  if (!/^\d{1,5}$/.test(opts.authorizationTimeout) || Number(opts.authorizationTimeout) < 1) {
    throw new InvalidInputError('--authorization-timeout must be a whole number of seconds', [
      { path: 'authorizationTimeout', message: 'not a positive integer' },
    ]);
  }
  const w = await unlockWallet(dataDirOf(cmd), await readPin());
  const browser = browserStep(opts, Number(opts.authorizationTimeout) * 1000);
  try {
    const result = await acceptOffer(w, offerUri, {
      askTxCode: askTxCode(opts.txCodeFromEnv === true),
      batch: Number(opts.batch),
      credentialConfigurationId: opts.config,
      authorizationCode: opts.authorizationCode === true,
      authorization: browser,
    });
    if (opts.json) {
      printJson(result);
      return;
    }
    for (const c of result.credentials) process.stdout.write(`${c.id}\n`);
    process.stderr.write(`imported ${result.credentials.length} credential(s) from ${result.credentialIssuer} (${result.credentialConfigurationId})\n`);
    for (const p of result.profiles ?? [])
      if (p.names.length) process.stderr.write(`profiles of ${p.vct}: ${p.names.join(', ')} (wallet present --profile NAME)\n`);
  } finally {
    await browser.close();
    await w.close();
  }
}
