import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { acceptOffer } from '../../holder/oid4vci/accept.js';
import { Oid4vciClientError } from '../../holder/oid4vci/errors.js';
import type { TxCodeSpec } from '../../holder/oid4vci/offer.js';
import { unlockWallet } from '../../holder/wallet.js';
import { dataDirOf, printJson } from '../context.js';
import { readPin } from './prompt.js';

export type WalletAcceptOpts = { txCodeFromEnv?: boolean; batch: string; config?: string; json?: boolean };

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
    const hint = [spec.description, spec.length ? `${spec.length} ${spec.input_mode === 'numeric' ? 'digits' : 'characters'}` : undefined].filter(Boolean).join(', ');
    const code = await readLine(`transaction code${hint ? ` (${hint})` : ''}: `);
    if (!code) throw new Oid4vciClientError('TX_CODE_REQUIRED', 'the offer requires a transaction code and none was entered');
    return code;
  };
}

export async function runWalletAccept(offerUri: string, opts: WalletAcceptOpts, cmd: Command): Promise<void> {
  if (!/^\d{1,2}$/.test(opts.batch) || Number(opts.batch) < 1) throw new InvalidInputError('--batch must be a positive integer', [{ path: 'batch', message: 'not a positive integer' }]);
  const w = await unlockWallet(dataDirOf(cmd), await readPin());
  try {
    const result = await acceptOffer(w, offerUri, {
      askTxCode: askTxCode(opts.txCodeFromEnv === true),
      batch: Number(opts.batch),
      credentialConfigurationId: opts.config,
    });
    if (opts.json) {
      printJson(result);
      return;
    }
    for (const c of result.credentials) process.stdout.write(`${c.id}\n`);
    process.stderr.write(`imported ${result.credentials.length} credential(s) from ${result.credentialIssuer} (${result.credentialConfigurationId})\n`);
  } finally {
    await w.close();
  }
}
