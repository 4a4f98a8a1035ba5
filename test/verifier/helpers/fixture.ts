import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  b64uEncode,
  didKeyFromJwk,
  generateSalt,
  keyObjectSigner,
  publicJwkOf,
  sdDigest,
  signCompact,
  signStatusListToken,
  StatusList,
  type PublicJwk,
} from '../../../core/index.js';
import { RESIDENT_IDENTITY_VCT, sampleIdentityClaims } from '../../../schemas/index.js';
import { addDidIssuer, emptyTrustBundle, TrustStore, type TrustBundle } from '../../../verifier/index.js';

export const NOW = new Date('2026-11-27T10:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);
export const STATUS_URI = 'https://issuer.example/status/lists/1';
export const AUD = 'https://kiosk.example';

export function encodeDisclosure(arr: unknown[]): string {
  return b64uEncode(JSON.stringify(arr));
}

export type Party = { priv: KeyObject; pub: PublicJwk; did: string; kid: string };

export function party(type: 'ed25519' | 'p256' = 'ed25519'): Party {
  const { privateKey } = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = publicJwkOf(privateKey);
  const did = didKeyFromJwk(pub);
  return { priv: privateKey, pub, did, kid: `${did}#${did.slice('did:key:'.length)}` };
}

export async function signJwt(header: Record<string, unknown>, payload: object, priv: KeyObject): Promise<string> {
  return signCompact(header, payload, keyObjectSigner(priv));
}

/** An issued SD-JWT: the JWT and its disclosures by claim name. */
export type Issued = { jwt: string; disclosures: Record<string, string>; all: string[] };

/** Mints an SD-JWT VC by hand (every top-level claim in `sd` selectively disclosable). */
export async function mint(
  issuer: Party,
  opts: {
    plain?: Record<string, unknown>;
    sd?: Record<string, unknown>;
    holder?: PublicJwk | null;
    typ?: string;
    kid?: string | null;
    decoys?: number;
    payloadExtra?: Record<string, unknown>;
  } = {},
): Promise<Issued> {
  const disclosures: Record<string, string> = {};
  const digests: string[] = [];
  for (const [name, value] of Object.entries(opts.sd ?? {})) {
    const enc = encodeDisclosure([generateSalt(), name, value]);
    disclosures[name] = enc;
    digests.push(sdDigest(enc));
  }
  for (let i = 0; i < (opts.decoys ?? 2); i++) digests.push(sdDigest(generateSalt()));
  digests.sort();
  const payload: Record<string, unknown> = {
    iss: issuer.did,
    iat: NOW_S - 3600,
    exp: NOW_S + 365 * 86400,
    vct: RESIDENT_IDENTITY_VCT,
    ...opts.plain,
    _sd: digests,
    _sd_alg: 'sha-256',
    ...opts.payloadExtra,
  };
  if (opts.holder !== null) payload.cnf = { jwk: opts.holder ?? party('p256').pub };
  const header: Record<string, unknown> = { typ: opts.typ ?? 'dc+sd-jwt' };
  if (opts.kid !== null) header.kid = opts.kid ?? issuer.kid;
  const jwt = await signJwt(header, payload, issuer.priv);
  return { jwt, disclosures, all: Object.values(disclosures) };
}

export function sdJwtOf(jwt: string, disclosures: string[]): string {
  return `${[jwt, ...disclosures].join('~')}~`;
}

export async function kbJwt(
  sdJwt: string,
  holder: KeyObject,
  opts: { aud?: string; nonce?: string; iat?: number; typ?: string; sdHash?: string } = {},
): Promise<string> {
  const payload = { iat: opts.iat ?? NOW_S - 5, aud: opts.aud ?? AUD, nonce: opts.nonce ?? 'n-0S6_WzA2Mj', sd_hash: opts.sdHash ?? sdDigest(sdJwt) };
  return signJwt({ typ: opts.typ ?? 'kb+jwt' }, payload, holder);
}

export async function present(issued: Issued, names: string[], holder: KeyObject, kb: Parameters<typeof kbJwt>[2] = {}): Promise<string> {
  const sdJwt = sdJwtOf(
    issued.jwt,
    names.map((n) => issued.disclosures[n]!),
  );
  return sdJwt + (await kbJwt(sdJwt, holder, kb));
}

/** A world: an issuer (did:key) trusted for the identity vct, with one status list. */
export type World = {
  issuer: Party;
  holder: Party;
  list: StatusList;
  bundle: TrustBundle;
  store: TrustStore;
  mintIdentity(opts?: { idx?: number; exp?: number; statusUri?: string; claims?: Record<string, unknown>; plain?: Record<string, unknown> }): Promise<Issued>;
  rebuild(mutate?: (b: TrustBundle) => TrustBundle): Promise<TrustStore>;
};

export async function statusEntry(issuer: Party, list: StatusList, opts: { uri?: string; fetchedAt?: Date; ttl?: number; exp?: number; iat?: number } = {}) {
  const uri = opts.uri ?? STATUS_URI;
  const jwt = await signStatusListToken(keyObjectSigner(issuer.priv, issuer.kid), {
    uri,
    list,
    iat: opts.iat ?? NOW_S - 600,
    ttl: opts.ttl ?? 3600,
    exp: opts.exp,
    iss: issuer.did,
  });
  return { uri, kind: 'token' as const, issuer: issuer.did, jwt, fetchedAt: (opts.fetchedAt ?? new Date(NOW.getTime() - 600_000)).toISOString() };
}

export async function world(): Promise<World> {
  const issuer = party('ed25519');
  const holder = party('p256');
  const list = new StatusList(1024, 2);
  list.set(5, 1); // revoked
  list.set(6, 2); // suspended
  let bundle = addDidIssuer(emptyTrustBundle(NOW), issuer.did, [RESIDENT_IDENTITY_VCT], NOW);
  bundle = { ...bundle, statusLists: [await statusEntry(issuer, list)] };
  const w: World = {
    issuer,
    holder,
    list,
    bundle,
    store: new TrustStore(bundle),
    mintIdentity: (opts = {}) => {
      const claims = { ...sampleIdentityClaims({ birthdate: '1990-03-07' }), age_over_18: true, ...opts.claims };
      return mint(issuer, {
        holder: holder.pub,
        sd: claims,
        plain: { exp: opts.exp ?? NOW_S + 86400 * 365, status: { status_list: { idx: opts.idx ?? 1, uri: opts.statusUri ?? STATUS_URI } }, ...opts.plain },
      });
    },
    rebuild: async (mutate) => {
      w.bundle = mutate ? mutate(w.bundle) : w.bundle;
      w.store = new TrustStore(w.bundle);
      return w.store;
    },
  };
  return w;
}
