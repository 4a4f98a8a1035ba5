import type { VcJoseMediaType } from './formats.js';
import { VC_V2_CONTEXT } from './vcdm2.js';

/** VCDM 2.0 section 4.13: a credential secured by an enveloping proof, carried as a data: URL. */
export type EnvelopedVerifiableCredential = {
  '@context': [typeof VC_V2_CONTEXT, ...string[]];
  type: 'EnvelopedVerifiableCredential';
  id: string;
};

/** A VCDM 2.0 EnvelopedVerifiableCredential around a JOSE-secured credential (`data:application/<type>,<token>`). */
export function envelope(mediaType: VcJoseMediaType, token: string): EnvelopedVerifiableCredential {
  return { '@context': [VC_V2_CONTEXT], type: 'EnvelopedVerifiableCredential', id: `data:application/${mediaType},${token}` };
}

/** The media type and token of an EnvelopedVerifiableCredential we can verify, else undefined. */
export function unenvelope(document: unknown): { mediaType: VcJoseMediaType; token: string } | undefined {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const d = document as Record<string, unknown>;
  const type = d.type;
  const isEnveloped = type === 'EnvelopedVerifiableCredential' || (Array.isArray(type) && type.includes('EnvelopedVerifiableCredential'));
  if (!isEnveloped || typeof d.id !== 'string') return undefined;
  const m = /^data:application\/(vc\+sd-jwt|vc\+jwt),(.+)$/s.exec(d.id);
  if (!m) return undefined;
  return { mediaType: m[1] as VcJoseMediaType, token: m[2]! };
}
