/**
 * Binding of a status list to the credential that references it: a list is only evidence for
 * the URL it names as its own (W3C list credential `id`, IETF token `sub`), for the issuer it
 * names and was signed by, and only until its `exp` / `validUntil`. Without this a validly signed
 * list of ANOTHER list (or issuer) stored under a credential's URL would answer for it.
 * Pure: every caller (verifier sync, bundle load, verification; the wallet's sync; core's
 * verifyStatusListToken) asks this one function and maps the reason to its own code.
 */
import { isExpired } from '../jose/claims.js';

/** What a status list says about itself (kind, URI, issuer, signer, expiry), to bind it to a credential's reference. */
export type StatusListSelf = {
  kind: 'token' | 'bitstring';
  /** The URL the list names as its own: W3C list credential `id`, IETF token `sub`. Required. */
  id: unknown;
  /** W3C `issuer` (or `issuer.id`): required for a list credential; unused for a token. */
  issuer?: unknown;
  /** The JWT `iss` claim, when present (optional in both forms). */
  iss?: unknown;
  /** The issuer whose key verified the list's signature, when the caller knows it. */
  signer?: string;
  /** Seconds since the epoch: JWT `exp`, else W3C `validUntil`. */
  exp?: number;
};

/** What the credential expects. A rule whose expectation is not given is skipped (inspection only). */
export type StatusListExpectation = { uri?: string; issuer?: string };

/** Why a status list does not belong to a credential's reference: its URI, its issuer, or it expired. */
export type StatusListBindingProblem = { reason: 'uri' | 'issuer' | 'expired'; message: string };

/**
 * The first binding rule `self` breaks, or undefined. `now` (seconds) checks expiry: a list is
 * expired from `exp` on (`clockToleranceSeconds` later with a tolerance); without `now`, no
 * expiry check (loading a bundle: an old list still loads and is refused when used).
 */
export function statusListBindingProblem(
  self: StatusListSelf,
  expected: StatusListExpectation,
  now?: number,
  clockToleranceSeconds = 0,
): StatusListBindingProblem | undefined {
  const what = self.kind === 'token' ? 'status list token' : 'status list credential';
  const at = expected.uri ?? String(self.id);
  if (expected.uri !== undefined && self.id !== expected.uri) {
    const named = typeof self.id === 'string' ? `names itself ${self.id}` : `has no ${self.kind === 'token' ? 'sub' : 'id'}`;
    return { reason: 'uri', message: `the ${what} at ${expected.uri} ${named}: it is not the list the credential references` };
  }
  if (expected.issuer !== undefined) {
    const claims: [string, unknown][] = [];
    if (self.kind === 'bitstring') claims.push(['issuer', self.issuer]);
    if (self.iss !== undefined) claims.push(['iss', self.iss]);
    if (self.signer !== undefined) claims.push(['signer', self.signer]);
    for (const [name, value] of claims) {
      if (value !== expected.issuer) {
        const shown = typeof value === 'string' ? value : value === undefined ? 'missing' : JSON.stringify(value);
        return { reason: 'issuer', message: `the ${what} at ${at} is of another issuer (${name} ${shown}), not ${expected.issuer}` };
      }
    }
  }
  if (now !== undefined && self.exp !== undefined && isExpired(self.exp, now, clockToleranceSeconds)) {
    return { reason: 'expired', message: `the ${what} at ${at} expired at ${new Date(self.exp * 1000).toISOString()}` };
  }
  return undefined;
}
