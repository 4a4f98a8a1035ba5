import { isSdHashAlg, sdDigest, StatusList, type SdHashAlg } from '../../core/index.js';
import { b64json, compactJws, type SignatureMutation } from './jws.js';
import { deriveKey, type VectorAlg, type VectorKey } from './keys.js';
import { SeededBytes } from './random.js';
import { expectedClaims, pack, plainClaims, sd, type MadeDisclosure, type Tree } from './sd.js';

export type VectorFormat = 'dc+sd-jwt' | 'vc+sd-jwt';

/** One status list token a case needs, under the URL credentials reference. */
export type StatusListFile = { uri: string; jwt: string; issuer: string; fetchedAt: number };

/** The RFC 9901 / SD-JWT VC / Token Status List / JOSE section that requires a verdict. */
export type Section = string;

export type KbJwtParts = { header: Record<string, unknown>; payload: Record<string, unknown>; serialized: string };

/** A generated case in memory; write.ts lays it out as files. */
export type VectorCase = {
  name: string;
  group: string;
  title: string;
  expect: 'accept' | 'reject';
  /** The netcred verdict code: `VALID` for an accepted presentation. */
  code: string;
  section: Section;
  /** Why the section decides it, in a sentence. */
  rationale: string;
  /** The claims tree with its `!sd` marks (specification.yml, user_claims.json); absent for hand-made payloads. */
  userClaims?: { [name: string]: Tree };
  holderDisclosed?: string[];
  /** The issuer-signed payload as signed, when it is JSON. */
  payload?: unknown;
  issuerJwt: string;
  issuance: string;
  presentation: string;
  kb?: KbJwtParts;
  verifiedClaims?: unknown;
  statusLists: StatusListFile[];
  /** The nonce the verifier expects in this case's KB-JWT. */
  nonce: string;
  /** Where netcred's verdict and the spec's differ: the case keeps the spec's. */
  netcredNote?: string;
  /** netcred's verdict differs from the spec's: what netcred does (a discrepancy to fix in netcred). */
  netcredDiffers?: string;
};

export type KbOptions = {
  header?: Record<string, unknown>;
  /** Changes the KB-JWT payload before signing (delete a claim, set another value). */
  payload?: (p: Record<string, unknown>) => void;
  signer?: VectorKey;
  signature?: SignatureMutation;
  /** Changes the string sd_hash is computed over. */
  sdHashInput?: (input: string) => string;
};

export type CredentialOptions = {
  tree?: { [name: string]: Tree };
  /** Header members to set; `undefined` removes one. */
  header?: Record<string, unknown>;
  /** Changes the packed payload before signing. */
  payload?: (p: Record<string, unknown>) => void;
  /** Replaces the payload with this exact text (not JSON, too deep...). */
  rawPayload?: string;
  signer?: VectorKey;
  signature?: SignatureMutation;
  /** Which disclosures the holder presents, by path (default: all). */
  disclose?: (path: string) => boolean;
  /** Changes the presented disclosures (encoded), after selection. */
  disclosures?: (list: string[], made: MadeDisclosure[]) => string[];
  /** Key binding (default: a valid KB-JWT); false sends none. */
  kb?: false | KbOptions;
  /** `status` claim: a list reference (default the suite's valid entry), or null for none. */
  status?: { uri: string; idx: number } | null;
  decoys?: boolean;
  /** The `cnf` claim (default `{jwk: holder}`); null removes it. */
  cnf?: unknown;
};

export type BuiltCredential = Pick<
  VectorCase,
  'userClaims' | 'holderDisclosed' | 'payload' | 'issuerJwt' | 'issuance' | 'presentation' | 'kb' | 'verifiedClaims'
>;

export const VCT = 'urn:netcred:conformance:identity:1';
export const W3C_TYPE = 'ConformanceIdentityCredential';
export const STATUS_BASE = 'https://issuer.example/status';
const W3C_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

const unshaped = (path: string): string => (path.startsWith('credentialSubject.') ? path.slice('credentialSubject.'.length) : path);

/** A plain value as a verifier returns it: decoy array elements and `_sd` gone. */
function withoutDigests(v: unknown): unknown {
  if (Array.isArray(v))
    return v.filter((e) => !(e !== null && typeof e === 'object' && !Array.isArray(e) && Object.keys(e).length === 1 && '...' in e)).map(withoutDigests);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== '_sd')
        .map(([k, x]) => [k, withoutDigests(x)]),
    );
  return v;
}

/** The standard user claims: flat, recursive (address) and array (nationalities) disclosures. */
export function standardTree(): { [name: string]: Tree } {
  return {
    given_name: sd('Erika'),
    family_name: sd('Mustermann'),
    birthdate: sd('1964-08-12'),
    address: sd({ street_address: sd('Heidestrasse 17'), locality: sd('Koeln'), country: 'DE' }),
    nationalities: [sd('DE'), sd('FR')],
  };
}

/** Entries of the suite's main list (2 bits, 1024 entries). */
export const STATUS_IDX = { valid: 7, revoked: 8, suspended: 9, applicationSpecific: 10, size: 1024 } as const;

/**
 * Everything a suite shares: the seeded bytes, the keys (issuer, holder, a second trusted
 * issuer, an untrusted stranger), the verifier's nonce and audience, "now", and the status
 * lists. Builds credentials and presentations for the case files (cases/*.ts).
 */
export class Suite {
  readonly random: SeededBytes;
  readonly issuer: VectorKey;
  readonly holder: VectorKey;
  readonly otherIssuer: VectorKey;
  readonly stranger: VectorKey;
  /** The nonce of the case being built: one per case, as a verifier sends a fresh one per request. */
  nonce = '';
  readonly aud = 'https://verifier.example/conformance';
  /** The verification time, seconds since the epoch. */
  readonly now: number;
  readonly lists = new Map<string, StatusListFile>();

  constructor(
    readonly seed: string,
    readonly alg: VectorAlg,
    readonly format: VectorFormat,
    nowMs: number,
  ) {
    this.random = new SeededBytes(seed);
    this.issuer = deriveKey(this.random, 'issuer', alg);
    this.holder = deriveKey(this.random, 'holder', alg);
    this.otherIssuer = deriveKey(this.random, 'other-issuer', alg);
    this.stranger = deriveKey(this.random, 'stranger', alg);
    this.now = Math.floor(nowMs / 1000);
    this.statusList('main', (l) => {
      l.set(STATUS_IDX.revoked, 1);
      l.set(STATUS_IDX.suspended, 2);
      l.set(STATUS_IDX.applicationSpecific, 3);
    });
  }

  /** Starts a case: its own nonce, derived from the seed and its name. */
  beginCase(name: string): void {
    this.nonce = this.random.bytes(`nonce:${name}`, 16).toString('base64url');
  }

  get mainList(): string {
    return `${STATUS_BASE}/main`;
  }

  /** Signs a status list token (typ statuslist+jwt, draft-ietf-oauth-status-list section 5.1) under `${STATUS_BASE}/${id}`. */
  statusList(
    id: string,
    fill: (l: StatusList) => void = () => {},
    options: { bits?: 1 | 2 | 4 | 8; sub?: string; signer?: VectorKey; iss?: string; exp?: number; issuer?: string } = {},
  ): StatusListFile {
    const uri = `${STATUS_BASE}/${id}`;
    const existing = this.lists.get(uri);
    if (existing) return existing;
    const list = new StatusList(STATUS_IDX.size, options.bits ?? 2);
    fill(list);
    const signer = options.signer ?? this.issuer;
    const payload: Record<string, unknown> = {
      sub: options.sub ?? uri,
      iat: this.now - 600,
      exp: options.exp ?? this.now + 86400,
      ttl: 300,
      status_list: { bits: list.bits, lst: list.encode() },
    };
    if (options.iss !== undefined) payload.iss = options.iss;
    const jwt = compactJws({ alg: this.alg, typ: 'statuslist+jwt', kid: signer.kid }, payload, signer);
    const file: StatusListFile = { uri, jwt, issuer: options.issuer ?? signer.did, fetchedAt: this.now - 600 };
    this.lists.set(uri, file);
    return file;
  }

  /** The issuer-signed payload's fixed claims, around the user claims. */
  private basePayload(o: CredentialOptions): Record<string, unknown> {
    const p: Record<string, unknown> = { iss: this.issuer.did, iat: this.now - 3600, exp: this.now + 365 * 86400 };
    if (this.format === 'dc+sd-jwt') p.vct = VCT;
    const cnf = o.cnf === undefined ? { jwk: this.holder.publicJwk } : o.cnf;
    if (cnf !== null) p.cnf = cnf;
    const status = o.status === undefined ? { uri: this.mainList, idx: STATUS_IDX.valid } : o.status;
    if (status !== null) p.status = { status_list: { idx: status.idx, uri: status.uri } };
    return p;
  }

  /** The tree as the format wants it: SD-JWT VC claims at the top, VCDM 2.0 claims in credentialSubject. */
  private shaped(tree: { [name: string]: Tree }): { [name: string]: Tree } {
    if (this.format === 'dc+sd-jwt') return tree;
    return { '@context': [W3C_CONTEXT], type: ['VerifiableCredential', W3C_TYPE], issuer: this.issuer.did, credentialSubject: tree };
  }

  /** A KB-JWT over `sdHashInput` (RFC 9901 section 4.3), valid unless `o` spoils it. */
  kbJwt(sdHashInput: string, o: KbOptions = {}, sdAlg: SdHashAlg = 'sha-256'): KbJwtParts {
    const signer = o.signer ?? this.holder;
    const header: Record<string, unknown> = { alg: this.alg, typ: 'kb+jwt' };
    for (const [k, v] of Object.entries(o.header ?? {})) {
      if (v === undefined) delete header[k];
      else header[k] = v;
    }
    const payload: Record<string, unknown> = {
      iat: this.now - 10,
      aud: this.aud,
      nonce: this.nonce,
      sd_hash: sdDigest(o.sdHashInput ? o.sdHashInput(sdHashInput) : sdHashInput, sdAlg),
    };
    o.payload?.(payload);
    return { header, payload, serialized: compactJws(header, payload, signer, { signature: o.signature }) };
  }

  /** An SD-JWT VC (or VCDM 2.0 with `vc+sd-jwt`) and its presentation, spoiled where `o` says. */
  credential(label: string, o: CredentialOptions = {}): BuiltCredential {
    const userClaims = this.shaped(o.tree ?? standardTree());
    const packedAll = pack(userClaims, this.random, label, { decoys: o.decoys });
    const packed = packedAll.payload;
    // Paths name the user claims alike in both formats (VCDM 2.0 nests them in credentialSubject).
    const made = packedAll.disclosures.map((d) => ({ ...d, path: unshaped(d.path) }));
    const payload: Record<string, unknown> = { ...this.basePayload(o), ...packed };
    // _sd_alg only where there are digests: a payload without disclosures needs none (RFC 9901 section 4.1.1).
    if (made.length > 0) payload._sd_alg = 'sha-256';
    o.payload?.(payload);
    const signer = o.signer ?? this.issuer;
    const header: Record<string, unknown> = { alg: this.alg, typ: this.format, kid: signer.kid };
    for (const [k, v] of Object.entries(o.header ?? {})) {
      if (v === undefined) delete header[k];
      else header[k] = v;
    }
    const issuerJwt =
      o.rawPayload !== undefined
        ? compactJws(header, o.rawPayload, signer, { raw: true, signature: o.signature })
        : compactJws(header, payload, signer, { signature: o.signature });
    const disclose = o.disclose ?? (() => true);
    const shown = made.filter(
      (d) => disclose(d.path) && made.every((m) => !(d.path.startsWith(`${m.path}.`) || d.path.startsWith(`${m.path}[`)) || disclose(m.path)),
    );
    const presented = o.disclosures
      ? o.disclosures(
          shown.map((d) => d.encoded),
          made,
        )
      : shown.map((d) => d.encoded);
    const issuance = `${[issuerJwt, ...made.map((d) => d.encoded)].join('~')}~`;
    const sdHashInput = `${[issuerJwt, ...presented].join('~')}~`;
    const kb = o.kb === false ? undefined : this.kbJwt(sdHashInput, o.kb);
    const built: BuiltCredential = {
      userClaims,
      holderDisclosed: shown.map((d) => d.path),
      payload: o.rawPayload !== undefined ? undefined : payload,
      issuerJwt,
      issuance,
      presentation: kb ? `${sdHashInput}${kb.serialized}` : sdHashInput,
    };
    if (kb) built.kb = kb;
    // What an accepting verifier ends with: the signed payload's plain claims (as the case left
    // them, decoys removed) and the user claims with exactly the presented disclosures.
    const user = expectedClaims(userClaims, (p) => shown.some((d) => d.path === unshaped(p))) as Record<string, unknown>;
    const plain = Object.fromEntries(
      Object.entries(payload)
        .filter(([k]) => k !== '_sd' && k !== '_sd_alg' && !(k in userClaims))
        .map(([k, v]) => [k, withoutDigests(v)]),
    );
    built.verifiedClaims = { ...plain, ...user };
    return built;
  }

  /** A hand-made issuer JWT from a raw payload object (no packing), presented with the given disclosures and a valid KB-JWT. */
  handMade(
    payload: Record<string, unknown>,
    disclosures: string[],
    o: { header?: Record<string, unknown>; kb?: false | KbOptions; claims?: Record<string, unknown> } = {},
  ): BuiltCredential {
    const header: Record<string, unknown> = { alg: this.alg, typ: this.format, kid: this.issuer.kid, ...o.header };
    const shape = this.format === 'dc+sd-jwt' ? {} : (this.shaped({}) as Record<string, unknown>);
    const full = { ...this.basePayload({}), ...shape, ...payload };
    const issuerJwt = compactJws(header, full, this.issuer);
    const sdHashInput = `${[issuerJwt, ...disclosures].join('~')}~`;
    // sd_hash uses the credential's _sd_alg (RFC 9901 section 4.3.1).
    const sdAlg = isSdHashAlg(full._sd_alg) ? full._sd_alg : 'sha-256';
    const kb = o.kb === false ? undefined : this.kbJwt(sdHashInput, o.kb || {}, sdAlg);
    const built: BuiltCredential = { payload: full, issuerJwt, issuance: sdHashInput, presentation: kb ? `${sdHashInput}${kb.serialized}` : sdHashInput };
    if (kb) built.kb = kb;
    // What an accepting verifier ends with: the fixed claims and the disclosed ones the case names.
    built.verifiedClaims = { ...this.basePayload({}), ...shape, ...o.claims };
    return built;
  }

  /** The user claims without marks (user_claims.json). */
  static plain(tree: { [name: string]: Tree }): unknown {
    return plainClaims(tree);
  }

  /** A header member list for display: the base64url header of an issuer JWT. */
  static headerOf(jwt: string): Record<string, unknown> {
    return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  }
}

export { b64json };
