import { generateKeyPairSync } from 'node:crypto';
import { x509Hash, x5cOf } from '../../core/index.js';
import type { VerifierIdentities, SigningIdentity } from './identity.js';
import { signEs256, signEs256Json, unsecured } from './jws.js';

/** What one case needs: where the hostile verifier is reached, who it claims to be, what it asks. */
export type CaseContext = {
  /** Base URL the wallet reaches the verifier at; its host is the certified DNS name. */
  base: string;
  /** The same server under another host name (the response_uri of the other-host case). */
  otherBase: string;
  ids: VerifierIdentities;
  /** The DCQL query every case asks (the control's, which the wallet can answer). */
  dcql: Record<string, unknown>;
  nonce: string;
  state: string;
  nowSeconds: number;
};

/** A request as served: the client_id the URI names, the body at request_uri and its media type. */
export type BuiltRequest = { clientId: string; body: string; contentType: string };

export type WalletCase = {
  name: string;
  group: 'control' | 'signature' | 'client-id' | 'request' | 'bounds';
  title: string;
  expect: 'accept' | 'reject';
  /** What netcred's own wallet says (exit 2, `error CODE`): a reference, not a requirement. */
  expectedCode: string;
  section: string;
  rationale: string;
  build(ctx: CaseContext, name: string): BuiltRequest;
};

const JWT = 'application/oauth-authz-req+jwt';
const TYP = 'oauth-authz-req+jwt';
const VP = 'OpenID4VP 1.0';
/** Far past any bound a wallet needs (netcred's: 64 credential queries). */
export const MANY_CREDENTIAL_QUERIES = 200;
/** A request object of 1 MiB (netcred's wallet reads at most 64 KiB). */
export const OVERSIZE_BYTES = 1024 * 1024;
/** Nesting far past any sane bound (netcred's: 64 levels), small in bytes. */
export const NESTING_DEPTH = 10_000;

export const responsePath = (name: string): string => `/response/${name}`;
export const requestPath = (name: string): string => `/request/${name}`;
export const sanDns = (ctx: CaseContext): string => `x509_san_dns:${ctx.ids.dnsName}`;

/** The control's request: every hostile case is this with one thing wrong, so a wallet that answers one answers for that thing. */
export function validPayload(ctx: CaseContext, name: string): Record<string, unknown> {
  const creds = Array.isArray(ctx.dcql.credentials) ? (ctx.dcql.credentials as { format?: unknown }[]) : [];
  const formats = [...new Set(creds.map((c) => c.format).filter((f): f is string => typeof f === 'string'))];
  return {
    client_id: sanDns(ctx),
    response_type: 'vp_token',
    response_mode: 'direct_post',
    response_uri: `${ctx.base}${responsePath(name)}`,
    nonce: ctx.nonce,
    state: ctx.state,
    dcql_query: ctx.dcql,
    client_metadata: {
      client_name: 'netcred conformance verifier',
      vp_formats_supported: Object.fromEntries(formats.map((f) => [f, {}])),
    },
    aud: 'https://self-issued.me/v2',
    iat: ctx.nowSeconds,
    exp: ctx.nowSeconds + 300,
  };
}

const x509Header = (who: SigningIdentity, extra: Record<string, unknown> = {}) => ({ typ: TYP, x5c: x5cOf(who.chain), ...extra });

/** Signed by the certified leaf, as an x509_san_dns verifier does. */
function signed(ctx: CaseContext, payload: Record<string, unknown>, clientId = sanDns(ctx)): BuiltRequest {
  return { clientId, body: signEs256(x509Header(ctx.ids.trusted), payload, ctx.ids.trusted.key), contentType: JWT };
}

const without = (o: Record<string, unknown>, key: string): Record<string, unknown> => {
  const { [key]: _gone, ...rest } = o;
  return rest;
};

/** The cases, the control first: it proves the harness reaches the wallet and reads its answer. */
export const WALLET_CASES: readonly WalletCase[] = [
  {
    name: 'control-valid',
    group: 'control',
    title: 'a valid x509_san_dns request by reference, signed by the certified leaf (must be answered)',
    expect: 'accept',
    expectedCode: 'VALID',
    section: `${VP} §5, §5.9.3, §8.2`,
    rationale: 'A request the wallet can satisfy, from a verifier it trusts: the vp_token must arrive with the request nonce and client_id in its KB-JWT.',
    build: (ctx, name) => signed(ctx, validPayload(ctx, name)),
  },
  {
    name: 'signature-other-key',
    group: 'signature',
    title: 'request object signed by a key other than the certified leaf (wrong signature)',
    expect: 'reject',
    expectedCode: 'REQUEST_SIGNATURE_INVALID',
    section: `${VP} §5.9.3 (x509_san_dns) / RFC 9101 §6.2`,
    rationale: 'The request MUST be signed with the private key of the leaf certificate in x5c; a signature that does not verify proves nothing.',
    build: (ctx, name) => {
      const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
      return { clientId: sanDns(ctx), body: signEs256(x509Header(ctx.ids.trusted), validPayload(ctx, name), other), contentType: JWT };
    },
  },
  {
    name: 'x5c-untrusted-root',
    group: 'signature',
    title: 'request object signed by a leaf for the same DNS name under a CA the wallet does not trust',
    expect: 'reject',
    expectedCode: 'X509_UNTRUSTED',
    section: `${VP} §5.9.3 (x509_san_dns: the chain is validated against the Wallet's trust anchors)`,
    rationale: 'Anyone can make a certificate for any name; only a chain to a trusted root identifies the verifier.',
    build: (ctx, name) => ({
      clientId: sanDns(ctx),
      body: signEs256(x509Header(ctx.ids.untrusted), validPayload(ctx, name), ctx.ids.untrusted.key),
      contentType: JWT,
    }),
  },
  {
    name: 'alg-none',
    group: 'signature',
    title: 'an x509_san_dns request object with alg none (unsigned)',
    expect: 'reject',
    expectedCode: 'OID4VP_REQUEST_INVALID',
    section: `${VP} §5.9.3 (x509_san_dns requests MUST be signed) / RFC 8725 §3.1`,
    rationale: 'An unsigned request can claim any client_id.',
    build: (ctx, name) => ({ clientId: sanDns(ctx), body: unsecured(x509Header(ctx.ids.trusted), validPayload(ctx, name)), contentType: JWT }),
  },
  {
    name: 'typ-jwt',
    group: 'signature',
    title: 'a signed request object with typ JWT instead of oauth-authz-req+jwt',
    expect: 'reject',
    expectedCode: 'OID4VP_REQUEST_INVALID',
    section: `${VP} §5.10 / RFC 9101 §10.8 / RFC 8725 §3.11`,
    rationale: 'Request objects are explicitly typed oauth-authz-req+jwt, so another JWT of the verifier cannot pass for one.',
    build: (ctx, name) => ({
      clientId: sanDns(ctx),
      body: signEs256(x509Header(ctx.ids.trusted, { typ: 'JWT' }), validPayload(ctx, name), ctx.ids.trusted.key),
      contentType: JWT,
    }),
  },
  {
    name: 'request-not-jwt',
    group: 'signature',
    title: 'request_uri answers the request as plain JSON, not a JWT',
    expect: 'reject',
    expectedCode: 'OID4VP_REQUEST_INVALID',
    section: `RFC 9101 §5.2 (request_uri yields a Request Object JWT) / ${VP} §5.9.3`,
    rationale: 'Plain JSON is unsigned: an x509_san_dns client must sign its request.',
    build: (ctx, name) => ({ clientId: sanDns(ctx), body: JSON.stringify(validPayload(ctx, name)), contentType: 'application/json' }),
  },
  {
    name: 'client-id-prefix-unknown',
    group: 'client-id',
    title: 'client_id foo:bar (a Client Identifier Prefix no specification defines)',
    expect: 'reject',
    expectedCode: 'OID4VP_UNSUPPORTED',
    section: `${VP} §5.9 (Client Identifier Prefixes)`,
    rationale:
      'A wallet must not process a request whose Client Identifier Prefix it does not support (nor take it for a pre-registered client it never registered).',
    build: (ctx, name) => signed(ctx, { ...validPayload(ctx, name), client_id: 'foo:bar' }, 'foo:bar'),
  },
  {
    name: 'client-id-differs',
    group: 'client-id',
    title: "the request object's client_id (x509_hash of the same leaf) differs from the URI's (x509_san_dns)",
    expect: 'reject',
    expectedCode: 'OID4VP_CLIENT_INVALID',
    section: `RFC 9101 §5 and §6.3 / ${VP} §5.9`,
    rationale: 'The client_id of the request object MUST be the one of the authorization request.',
    build: (ctx, name) => {
      const other = `x509_hash:${x509Hash(ctx.ids.trusted.chain[0]!)}`;
      return {
        clientId: sanDns(ctx),
        body: signEs256(x509Header(ctx.ids.trusted), { ...validPayload(ctx, name), client_id: other }, ctx.ids.trusted.key),
        contentType: JWT,
      };
    },
  },
  {
    name: 'response-uri-other-host',
    group: 'client-id',
    title: 'x509_san_dns client whose response_uri is on another host than its certified DNS name',
    expect: 'reject',
    expectedCode: 'RESPONSE_URI_MISMATCH',
    section: `${VP} §5.9.3 (x509_san_dns: the response_uri host MUST be the DNS name)`,
    rationale: 'A certificate for one name does not let its holder collect answers on another host.',
    build: (ctx, name) => signed(ctx, { ...validPayload(ctx, name), response_uri: `${ctx.otherBase}${responsePath(name)}` }),
  },
  {
    name: 'redirect-uri-client-mismatch',
    group: 'client-id',
    title: 'redirect_uri client whose client_id is not its response_uri',
    expect: 'reject',
    expectedCode: 'OID4VP_CLIENT_INVALID',
    section: `${VP} §5.9.3 (redirect_uri: the client_id MUST be the response_uri)`,
    rationale: 'An unauthenticated redirect_uri client is only its response_uri; any other destination is unvouched for.',
    build: (ctx, name) => {
      const clientId = `redirect_uri:${ctx.base}/elsewhere/${name}`;
      const payload = { ...without(validPayload(ctx, name), 'client_metadata'), client_id: clientId };
      return { clientId, body: unsecured({ typ: TYP }, payload), contentType: JWT };
    },
  },
  {
    name: 'request-expired',
    group: 'request',
    title: 'a request object whose exp is ten minutes in the past',
    expect: 'reject',
    expectedCode: 'OID4VP_REQUEST_INVALID',
    section: 'RFC 7519 §4.1.4 / RFC 9101 §4',
    rationale: 'A JWT MUST NOT be accepted on or after its exp: an old request may be replayed.',
    build: (ctx, name) => signed(ctx, { ...validPayload(ctx, name), iat: ctx.nowSeconds - 900, exp: ctx.nowSeconds - 600 }),
  },
  {
    name: 'nonce-missing',
    group: 'request',
    title: 'a request without nonce',
    expect: 'reject',
    expectedCode: 'OID4VP_REQUEST_INVALID',
    section: `${VP} §5.2 (nonce REQUIRED)`,
    rationale: 'Without a verifier nonce the presentation can be replayed to any verifier.',
    build: (ctx, name) => signed(ctx, without(validPayload(ctx, name), 'nonce')),
  },
  {
    name: 'response-mode-fragment',
    group: 'request',
    title: 'response_mode fragment with a response_uri',
    expect: 'reject',
    expectedCode: 'OID4VP_UNSUPPORTED',
    section: `${VP} §8.2 (response_uri belongs to direct_post) / OAuth 2.0 Multiple Response Types §2.1`,
    rationale: 'A fragment response never goes to response_uri by POST; a wallet that does so ignored response_mode.',
    build: (ctx, name) => signed(ctx, { ...validPayload(ctx, name), response_mode: 'fragment' }),
  },
  {
    name: 'dcql-too-many-credentials',
    group: 'bounds',
    title: `a DCQL query of ${MANY_CREDENTIAL_QUERIES} credential queries (the control's, repeated)`,
    expect: 'reject',
    expectedCode: 'DCQL_INVALID',
    section: `${VP} §6 (no MUST sets the bound): uncontrolled resource consumption, CWE-400`,
    rationale: 'A wallet bounds what a request makes it sign and send; no honest verifier asks this much.',
    build: (ctx, name) => {
      const first = (ctx.dcql.credentials as Record<string, unknown>[])[0]!;
      const credentials = Array.from({ length: MANY_CREDENTIAL_QUERIES }, (_, i) => ({ ...first, id: `q${i}` }));
      return signed(ctx, { ...validPayload(ctx, name), dcql_query: { credentials } });
    },
  },
  {
    name: 'request-object-oversize',
    group: 'bounds',
    title: 'a request object of 1 MiB (padding in client_metadata)',
    expect: 'reject',
    expectedCode: 'OID4VP_REQUEST_FETCH_FAILED',
    section: 'RFC 9101 §5.2 (no MUST sets the bound): uncontrolled resource consumption, CWE-400',
    rationale: 'A wallet reads a bounded request object; a verifier cannot make it hold any amount.',
    build: (ctx, name) => {
      const p = validPayload(ctx, name);
      return signed(ctx, { ...p, client_metadata: { ...(p.client_metadata as object), x_padding: 'A'.repeat(OVERSIZE_BYTES) } });
    },
  },
  {
    name: 'json-deeply-nested',
    group: 'bounds',
    title: `a request object with arrays nested ${NESTING_DEPTH} deep in client_metadata`,
    expect: 'reject',
    expectedCode: 'OID4VP_REQUEST_INVALID',
    section: 'RFC 8259 §9 (implementations may limit nesting): stack exhaustion, CWE-674',
    rationale: 'Code that recurses over parsed JSON overflows its stack on deep nesting.',
    build: (ctx, name) => {
      // Built as text: serializing a value this deep would recurse NESTING_DEPTH frames.
      const p = validPayload(ctx, name);
      const marker = '"x-nested-marker"';
      const json = JSON.stringify({ ...p, client_metadata: { ...(p.client_metadata as object), x_nested: 'x-nested-marker' } }).replace(
        marker,
        `${'['.repeat(NESTING_DEPTH)}${']'.repeat(NESTING_DEPTH)}`,
      );
      return { clientId: sanDns(ctx), body: signEs256Json(x509Header(ctx.ids.trusted), json, ctx.ids.trusted.key), contentType: JWT };
    },
  },
];
