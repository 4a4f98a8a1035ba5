import { readFileSync, statSync } from 'node:fs';
import { InputTooLargeError, InvalidInputError } from '../../core/index.js';
import { isWalletAttestationMode, parseWalletProviderKeys, WALLET_ATTESTATION_MODES, type OAuthPolicy } from '../../issuer/index.js';

export type OAuthOpts = { haip?: boolean; authorizationCode?: boolean; walletAttestation?: string; walletProviderKey?: string[] };

const MAX_KEY_FILE = 64 * 1024;

function readKeyFile(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new InvalidInputError(`cannot read wallet provider key file ${file}`, [{ path: 'walletProviderKey', message: 'file not found' }], cause);
  }
  if (size > MAX_KEY_FILE) throw new InputTooLargeError(`wallet provider key file ${file}`, MAX_KEY_FILE);
  return readFileSync(file, 'utf8');
}

/** The OAuth policy changes the options ask for (undefined members: unchanged). */
export function oauthChanges(opts: OAuthOpts): Partial<OAuthPolicy> {
  const changes: Partial<OAuthPolicy> = {};
  if (opts.haip !== undefined) changes.haip = opts.haip;
  if (opts.authorizationCode !== undefined) changes.authorizationCode = opts.authorizationCode;
  if (opts.walletAttestation !== undefined) {
    if (!isWalletAttestationMode(opts.walletAttestation)) {
      throw new InvalidInputError(`--wallet-attestation must be one of ${WALLET_ATTESTATION_MODES.join(', ')}`, [
        { path: 'walletAttestation', message: 'unknown mode' },
      ]);
    }
    changes.walletAttestation = opts.walletAttestation;
  }
  if (opts.walletProviderKey?.length) changes.walletProviderKeys = opts.walletProviderKey.flatMap((f) => parseWalletProviderKeys(readKeyFile(f), f));
  return changes;
}

/** What settings and show print of a policy (the keys by count: they are public, but long). */
export function oauthSummary(p: OAuthPolicy): Record<string, unknown> {
  return {
    haip: p.haip,
    authorizationCode: p.authorizationCode || p.haip,
    walletAttestation: p.walletAttestation,
    walletProviderKeys: p.walletProviderKeys.length,
  };
}
