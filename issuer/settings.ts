import { InvalidInputError } from '../core/errors.js';
import {
  DEFAULT_STATUS_TTL_SECONDS,
  DEFAULT_STATUS_VALIDITY_SECONDS,
  issuerPaths,
  readIssuerConfig,
  timingProblem,
  writeIssuerConfig,
  type IssuerTiming,
  type StoredIssuerConfig,
} from './config.js';
import { oauthPolicyOf, oauthPolicyProblem, type OAuthPolicy } from './oauth-policy.js';

/** The timing an issuer runs with: what config.json says, defaults for what it predates. */
export function timingOf(stored: StoredIssuerConfig): IssuerTiming {
  return {
    credentialTtlSeconds: stored.credentialTtlSeconds,
    statusTtlSeconds: stored.statusTtlSeconds ?? DEFAULT_STATUS_TTL_SECONDS,
    statusValiditySeconds: stored.statusValiditySeconds ?? DEFAULT_STATUS_VALIDITY_SECONDS,
  };
}

/**
 * Changes an issuer's timing in config.json (checked as at init: bounds, and a ttl at most half
 * the validity; nothing is written on an error, nor with dryRun) and returns what is now in force. A running
 * `issuer serve` applies it at its next start. No secret is needed: config.json is mode 0600.
 */
export function updateIssuerTiming(dataDir: string, changes: Partial<IssuerTiming>, options: { dryRun?: boolean } = {}): IssuerTiming {
  const file = issuerPaths(dataDir).config;
  const stored = readIssuerConfig(file);
  const current = timingOf(stored);
  const next: IssuerTiming = { ...current };
  for (const key of Object.keys(next) as (keyof IssuerTiming)[]) if (changes[key] !== undefined) next[key] = changes[key]!;
  const problem = timingProblem(next);
  if (problem) throw new InvalidInputError(`${problem.path} ${problem.message}`, [problem]);
  if (!options.dryRun && JSON.stringify(next) !== JSON.stringify(current)) writeIssuerConfig(file, { ...stored, ...next });
  return next;
}

/**
 * Changes the issuer's HAIP and wallet attestation policy in config.json (checked first: a mode
 * other than off needs wallet provider keys; nothing is written on an error) and returns what is
 * now in force. Keys given replace the configured list. A running `issuer serve` applies it at
 * its next start.
 */
export function updateOAuthPolicy(dataDir: string, changes: Partial<OAuthPolicy>): OAuthPolicy {
  const file = issuerPaths(dataDir).config;
  const stored = readIssuerConfig(file);
  const current = oauthPolicyOf(stored);
  const next: OAuthPolicy = {
    haip: changes.haip ?? current.haip,
    authorizationCode: changes.authorizationCode ?? current.authorizationCode,
    walletAttestation: changes.walletAttestation ?? current.walletAttestation,
    walletProviderKeys: changes.walletProviderKeys ?? current.walletProviderKeys,
  };
  const problem = oauthPolicyProblem(next);
  if (problem) throw new InvalidInputError(`${problem.path} ${problem.message}`, [problem]);
  if (JSON.stringify(next) !== JSON.stringify(current)) writeIssuerConfig(file, { ...stored, oauth: next });
  return next;
}
