import { createHash, createPublicKey, verify as nodeVerify, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FlattenJSON } from '@sd-jwt/core';
import path from 'node:path';
import type { LoadedCase, Observation } from '../../../conformance/index.js';

/**
 * What the peer adapters share: reading a case's files, and signature checks written against
 * node:crypto directly (a library's callbacks verify signatures; every other rule is the library's).
 */
export type PeerAdapter = { name: string; verify(c: LoadedCase): Promise<Observation> };

export const presentationOf = (c: LoadedCase): string => readFileSync(path.join(c.dir, c.file.files.presentation), 'utf8').trim();

/** The status list token stored for `uri` in the case's status folder. */
export function statusListOf(c: LoadedCase, uri: string): string {
  const dir = path.join(c.dir, c.file.files.status_dir);
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as Record<string, string>;
  const file = index[uri];
  if (!file) throw new Error(`no status list ${uri}`);
  return readFileSync(path.join(dir, file), 'utf8').trim();
}

/**
 * The signature check a relying party's callback does (RFC 7515 section 5.2): the header's alg
 * must be the one the key is for (EdDSA for Ed25519, ES256 for P-256; anything else, none and
 * HMAC included, fails), the signature canonical base64url, then node:crypto verifies.
 */
export function verifyWithJwk(jwk: unknown, data: string, sigB64u: string): boolean {
  let alg: unknown;
  try {
    alg = (JSON.parse(Buffer.from(data.split('.')[0]!, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
  } catch {
    return false;
  }
  const kty = (jwk as { kty?: string }).kty;
  if (!((kty === 'OKP' && alg === 'EdDSA') || (kty === 'EC' && alg === 'ES256'))) return false;
  const sig = Buffer.from(sigB64u, 'base64url');
  if (sig.toString('base64url') !== sigB64u) return false;
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return nodeVerify(kty === 'EC' ? 'sha256' : null, Buffer.from(data), kty === 'EC' ? { key, dsaEncoding: 'ieee-p1363' } : key, sig);
  } catch {
    return false;
  }
}

/** The hasher @sd-jwt/* call with the credential's _sd_alg (sha-256, sha-384, sha-512). */
export const hasher = (data: string | ArrayBuffer, alg = 'sha-256'): Uint8Array =>
  createHash(alg.replace('-', ''))
    .update(typeof data === 'string' ? data : Buffer.from(data))
    .digest();

/** A presentation in the flattened JWS JSON serialization (RFC 9901 section 8), as compact, by @sd-jwt/core's own converter. */
export function compactOf(presentation: string): string {
  return presentation.startsWith('{') ? FlattenJSON.fromSerialized(JSON.parse(presentation) as never).toEncoded() : presentation;
}

/** A library call as a verdict: resolved is accepted, thrown is rejected (with the message). */
export async function verdictOf(run: () => Promise<unknown>): Promise<Observation> {
  try {
    await run();
    return { verdict: 'accept', said: 'verified' };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { verdict: 'reject', said: message.replace(/\s+/g, ' ').slice(0, 160) };
  }
}
