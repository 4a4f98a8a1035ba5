import { InvalidInputError } from '../../core/errors.js';
import { issuerIdOf, VC_V2_CONTEXT } from '../../core/vc/vcdm2.js';

/** A VCDM 2.0 credential as a JSON object (the claim set of a vc+jwt / vc+sd-jwt). */
export type Vcdm2Credential = {
  '@context': string[];
  type: string[];
  issuer: string | { id: string; [k: string]: unknown };
  validFrom?: string;
  validUntil?: string;
  credentialSubject: Record<string, unknown> | Record<string, unknown>[];
  credentialStatus?: unknown;
  credentialSchema?: unknown;
  [k: string]: unknown;
};

const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function xsdDateTime(v: unknown, what: string): string {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}T/.test(v))
    throw new InvalidInputError(`${what} must be an XML Schema dateTime`);
  return v;
}

/**
 * Checks and completes a VCDM 2.0 credential: the v2 context first, `VerifiableCredential`
 * among the types, an issuer, a subject, and `validFrom` (default: `now`). Veramo's
 * CredentialPlugin adds a VCDM 1.1 `issuanceDate` to every credential; it is dropped here
 * (used as `validFrom` when none was given), and so is the 1.1 context it prepends.
 */
export function normalizeVcdm2(input: unknown, now: Date): Vcdm2Credential {
  if (!isObject(input)) throw new InvalidInputError('credential must be a JSON object');
  const { issuanceDate, expirationDate, proof, ...rest } = input;
  if (proof !== undefined) throw new InvalidInputError('credential must not carry an embedded proof: it is secured by the envelope');
  let contexts = rest['@context'] === undefined ? [VC_V2_CONTEXT] : Array.isArray(rest['@context']) ? [...rest['@context']] : [rest['@context']];
  // Veramo's CredentialPlugin prepends the VCDM 1.1 context to the caller's array in place
  // (processEntryToArray + unshift) before any provider runs: undo that.
  if (contexts[0] === VC_V1_CONTEXT && contexts[1] === VC_V2_CONTEXT) contexts = contexts.slice(1);
  if (contexts[0] !== VC_V2_CONTEXT) throw new InvalidInputError(`the first @context must be ${VC_V2_CONTEXT} (VCDM 2.0)`);
  if (contexts.includes(VC_V1_CONTEXT)) throw new InvalidInputError('the VCDM 1.1 context cannot be mixed into a VCDM 2.0 credential');
  const types = rest.type === undefined ? ['VerifiableCredential'] : Array.isArray(rest.type) ? rest.type : [rest.type];
  if (!types.every((t) => typeof t === 'string')) throw new InvalidInputError('type must be a string or an array of strings');
  if (!types.includes('VerifiableCredential')) types.unshift('VerifiableCredential');
  const issuer = rest.issuer;
  if (!issuerIdOf(issuer)) throw new InvalidInputError('credential.issuer (or issuer.id) must be a string');
  const subject = rest.credentialSubject;
  const subjects = Array.isArray(subject) ? subject : [subject];
  if (subjects.length === 0 || !subjects.every(isObject)) throw new InvalidInputError('credentialSubject must be an object (or an array of objects)');
  const validFrom = xsdDateTime(rest.validFrom ?? (typeof issuanceDate === 'string' ? issuanceDate : now.toISOString()), 'validFrom');
  const validUntil = rest.validUntil ?? expirationDate;
  const out: Vcdm2Credential = {
    ...rest,
    '@context': contexts as string[],
    type: types as string[],
    issuer: issuer as Vcdm2Credential['issuer'],
    credentialSubject: subject as Vcdm2Credential['credentialSubject'],
    validFrom,
  };
  if (validUntil !== undefined) {
    out.validUntil = xsdDateTime(validUntil, 'validUntil');
    if (Date.parse(out.validUntil) < Date.parse(validFrom)) throw new InvalidInputError('validUntil is before validFrom');
  }
  return out;
}

export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
