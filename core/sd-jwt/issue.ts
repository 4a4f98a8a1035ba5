import { randomInt } from 'node:crypto';
import type { DisclosureFrame } from '@sd-jwt/types';
import { NetcredError } from '../errors.js';
import { signCompact } from '../jose/sign.js';
import type { JwsSigner } from '../jose/signer.js';
import { packSdJwt, type SdFrame } from './pack.js';

export { pooledSalt, type SdFrame } from './pack.js';
export type { DisclosureFrame };

/** Claims RFC 9901 and SD-JWT VC never allow in a disclosure (at the top level). */
export const NEVER_DISCLOSABLE = ['iss', 'aud', 'exp', 'nbf', 'cnf', 'vct', 'vct#integrity', 'status', '_sd', '_sd_alg', '...'] as const;

/** What issueSdJwt signs: the header, the payload, which claims are disclosable, and the signer. */
export type IssueSdJwtInput = {
  /** Protected header members besides `alg` and `kid`, which come from the signer. `typ` is required. */
  header: { typ: string; [k: string]: unknown };
  payload: Record<string, unknown>;
  /** The SD-JWT disclosure frame: `_sd` lists disclosable names per level, `_sd_decoy` the decoy count. */
  disclosureFrame: SdFrame | DisclosureFrame<Record<string, unknown>>;
  signer: JwsSigner;
  /** Extra top-level names that must stay in the clear (e.g. `@context` for W3C credentials). */
  neverDisclosable?: readonly string[];
};

/** A random number of decoy digests in [min, max], so the digest count does not reveal the claim count. */
export function decoyCount(min = 1, max = 4): number {
  return randomInt(min, max + 1);
}

/**
 * Issues an SD-JWT (`<JWT>~<D1>~...~`): 144-bit salts, sha-256, `_sd` arrays sorted, decoys as
 * the frame says, packed by pack.ts (not @sd-jwt's pack: see there why) and signed with
 * signCompact. Refuses a frame that would disclose a reserved claim.
 */
const RESERVED = new Set<string>(NEVER_DISCLOSABLE);

/**
 * Signs an SD-JWT (RFC 9901): the payload with the claims the frame names made selectively disclosable,
 * then `<JWT>~<D1>~...~<Dn>~`.
 *
 * @throws NetcredError `SD_RESERVED_CLAIM` when the frame would make `iss`, `cnf`, `status`, `vct` or
 * another registered claim disclosable.
 *
 * @example
 * ```ts
 * const sdJwt = await issueSdJwt({ header: { typ: 'dc+sd-jwt' }, payload: { iss, vct, given_name: 'Ada' },
 *   disclosureFrame: { _sd: ['given_name'] }, signer: keyObjectSigner(privateKey, kid) });
 * ```
 */
export async function issueSdJwt(input: IssueSdJwtInput): Promise<string> {
  const extra = input.neverDisclosable ?? [];
  const topSd = (input.disclosureFrame as { _sd?: unknown[] })._sd ?? [];
  const bad = topSd.filter((n) => RESERVED.has(String(n)) || extra.includes(String(n)));
  if (bad.length) throw new NetcredError('SD_RESERVED_CLAIM', `claims ${bad.join(', ')} must never be selectively disclosable`);
  const { payload, disclosures } = packSdJwt(input.payload, input.disclosureFrame as SdFrame);
  const jwt = await signCompact(input.header, payload, input.signer);
  // `<JWT>~<D1>~...~<Dn>~` in one join (the credential is the largest string of an issuance).
  disclosures.unshift(jwt);
  disclosures.push('');
  return disclosures.join('~');
}
