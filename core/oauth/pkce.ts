import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The only PKCE method netcred accepts or uses (RFC 7636; HAIP forbids `plain`). */
export const PKCE_METHOD = 'S256';

/** RFC 7636 4.1: code_verifier = 43*128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** A S256 code_challenge is base64url(SHA-256) without padding: exactly 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Whether `value` is a PKCE code_verifier of RFC 7636 (43 to 128 unreserved characters). */
export function isCodeVerifier(value: unknown): value is string {
  return typeof value === 'string' && VERIFIER.test(value);
}

export function isS256Challenge(value: unknown): value is string {
  return typeof value === 'string' && S256_CHALLENGE.test(value);
}

/** RFC 7636 4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 4.6: does the verifier hash to the challenge? (Constant time; false for a malformed verifier.) */
export function pkceMatches(verifier: unknown, challenge: string): boolean {
  if (!isCodeVerifier(verifier) || !isS256Challenge(challenge)) return false;
  return timingSafeEqual(Buffer.from(s256Challenge(verifier)), Buffer.from(challenge));
}

/** A fresh pair for a client: 256 random bits as the verifier (43 characters). */
export function createPkcePair(): { verifier: string; challenge: string; method: typeof PKCE_METHOD } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier), method: PKCE_METHOD };
}
