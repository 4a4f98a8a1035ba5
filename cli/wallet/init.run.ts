import type { Command } from 'commander';
import { InvalidInputError, NetcredError, type JwsAlg } from '../../core/index.js';
import { assertPinAcceptable, initWallet, isDidMethod, PIN_MIN_LENGTH } from '../../holder/index.js';
import { dataDirOf, printJson } from '../context.js';
import { readHidden } from './prompt.js';

export type WalletInitOpts = { didMethod: string; alg: string; json?: boolean };

async function newPin(): Promise<string> {
  const fromEnv = process.env.NETCRED_PIN;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new NetcredError('PIN_REQUIRED', 'set NETCRED_PIN or run on a terminal to choose the wallet PIN');
  const pin = await readHidden(`new wallet PIN (at least ${PIN_MIN_LENGTH} characters): `);
  // A PIN the wallet would refuse is refused now, before it is typed a second time.
  assertPinAcceptable(pin);
  if ((await readHidden('repeat the PIN: ')) !== pin) throw new NetcredError('PIN_MISMATCH', 'the two PINs differ');
  return pin;
}

export async function runWalletInit(opts: WalletInitOpts, cmd: Command): Promise<void> {
  if (!isDidMethod(opts.didMethod)) throw new InvalidInputError('--did-method must be jwk or key', [{ path: 'did-method', message: opts.didMethod }]);
  if (opts.alg !== 'ES256' && opts.alg !== 'EdDSA') throw new InvalidInputError('--alg must be ES256 or EdDSA', [{ path: 'alg', message: opts.alg }]);
  const pin = await newPin();
  const { wallet: w, key } = await initWallet(dataDirOf(cmd), pin, { didMethod: opts.didMethod, alg: opts.alg as JwsAlg });
  await w.close();
  if (opts.json) printJson({ did: key.did, kid: key.kid, alg: key.alg });
  else process.stdout.write(`${key.did}\n`);
}
