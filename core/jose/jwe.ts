import type { KeyObject } from 'node:crypto';
import { compactDecrypt, CompactEncrypt, decodeProtectedHeader } from 'jose';
import { JoseError } from '../errors.js';

/**
 * Compact JWE with ECDH-ES (direct key agreement, RFC 7518 section 4.6) and AES-GCM, the one
 * combination HAIP 1.0 asks of OpenID4VP encrypted responses. The cryptography is `jose`'s
 * (panva); this module only pins the algorithms and turns its failures into typed errors.
 */

export type JweEnc = 'A128GCM' | 'A256GCM';
/** The JWE content encryptions netcred supports: A128GCM and A256GCM. */
export const JWE_ENCS: readonly JweEnc[] = ['A128GCM', 'A256GCM'];
/** The one JWE key agreement netcred uses: ECDH-ES (direct), as HAIP requires for `direct_post.jwt`. */
export const JWE_ALG = 'ECDH-ES';

/** A compact JWE is five base64url parts; nothing we decrypt is larger than this. */
export const MAX_JWE_CHARS = 512 * 1024;

export type JweErrorCode = 'JWE_INVALID' | 'JWE_DECRYPTION_FAILED';

/** A JWE that cannot be used: `JWE_INVALID` (malformed, wrong alg/enc/key) or `JWE_DECRYPTION_FAILED`. */
export class JweError extends JoseError {
  declare readonly code: JweErrorCode;
  constructor(code: JweErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** Whether `value` is a JWE content encryption netcred supports (A128GCM, A256GCM). */
export function isJweEnc(value: unknown): value is JweEnc {
  return value === 'A128GCM' || value === 'A256GCM';
}

export type EncryptOptions = {
  enc: JweEnc;
  /** The recipient key's `kid`, echoed in the protected header (OpenID4VP 1.0 section 8.3). */
  kid?: string;
  /** Agreement PartyUInfo / PartyVInfo (raw bytes; `jose` base64url-encodes them into the header). */
  apu?: Uint8Array;
  apv?: Uint8Array;
};

/** Encrypts `plaintext` to a P-256 public key: `{"alg":"ECDH-ES","enc":...,"kid"?,"epk",...}`. */
export async function encryptEcdhEs(plaintext: string | Uint8Array, recipient: KeyObject, options: EncryptOptions): Promise<string> {
  if (!isJweEnc(options.enc)) throw new JweError('JWE_INVALID', `enc ${String(options.enc)} is not one of ${JWE_ENCS.join(', ')}`);
  if (recipient.asymmetricKeyType !== 'ec' || recipient.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new JweError('JWE_INVALID', 'ECDH-ES encryption needs a P-256 public key');
  }
  const bytes = typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext;
  const jwe = new CompactEncrypt(bytes).setProtectedHeader({ alg: JWE_ALG, enc: options.enc, ...(options.kid !== undefined ? { kid: options.kid } : {}) });
  if (options.apu || options.apv)
    jwe.setKeyManagementParameters({ ...(options.apu ? { apu: options.apu } : {}), ...(options.apv ? { apv: options.apv } : {}) });
  return jwe.encrypt(recipient);
}

/** The protected header of a compact JWE, read without decrypting (to find the key by `kid`). */
export function jweHeaderOf(jwe: unknown): Record<string, unknown> {
  if (typeof jwe !== 'string' || jwe.length === 0) throw new JweError('JWE_INVALID', 'the JWE is missing');
  if (jwe.length > MAX_JWE_CHARS) throw new JweError('JWE_INVALID', `the JWE exceeds ${MAX_JWE_CHARS} characters`);
  if (jwe.split('.').length !== 5) throw new JweError('JWE_INVALID', 'not a compact JWE (five parts)');
  try {
    return decodeProtectedHeader(jwe) as Record<string, unknown>;
  } catch (cause) {
    throw new JweError('JWE_INVALID', 'the JWE protected header is not base64url JSON', { cause });
  }
}

export type DecryptOptions = {
  /** The content encryption algorithms this recipient offered; anything else is refused before decrypting. */
  encs: readonly JweEnc[];
  /** The `kid` the header must carry (the key the recipient published for this exchange). */
  kid?: string;
};

/**
 * Decrypts a compact JWE made for `privateKey` with ECDH-ES: `alg` must be ECDH-ES, `enc` one
 * of `options.encs`, `kid` the expected one, and no `zip` (compressed plaintext) or `crit`.
 * Every failure is JWE_INVALID (what the header says) or JWE_DECRYPTION_FAILED (the cryptography).
 */
export async function decryptEcdhEs(
  jwe: unknown,
  privateKey: KeyObject,
  options: DecryptOptions,
): Promise<{ plaintext: Uint8Array; header: Record<string, unknown> }> {
  const header = jweHeaderOf(jwe);
  if (header.alg !== JWE_ALG) throw new JweError('JWE_INVALID', `JWE alg ${String(header.alg)} is not ${JWE_ALG}`);
  if (!isJweEnc(header.enc) || !options.encs.includes(header.enc))
    throw new JweError('JWE_INVALID', `JWE enc ${String(header.enc)} is not one of ${options.encs.join(', ')}`);
  if (options.kid !== undefined && header.kid !== options.kid)
    throw new JweError('JWE_INVALID', `JWE kid ${JSON.stringify(header.kid)} is not the key published for this exchange`);
  if (header.zip !== undefined) throw new JweError('JWE_INVALID', 'compressed JWE plaintext (zip) is not accepted');
  if (header.crit !== undefined) throw new JweError('JWE_INVALID', 'the JWE has critical header parameters we do not understand');
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(jwe as string, privateKey, {
      keyManagementAlgorithms: [JWE_ALG],
      contentEncryptionAlgorithms: [...options.encs],
    });
    return { plaintext, header: protectedHeader as Record<string, unknown> };
  } catch (cause) {
    throw new JweError('JWE_DECRYPTION_FAILED', 'the JWE does not decrypt with this key', { cause });
  }
}
