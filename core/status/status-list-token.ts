import type { KeyObject } from 'node:crypto';
import { decodeCompact } from '../jose/decode.js';
import { signCompact } from '../jose/sign.js';
import type { JwsSigner } from '../jose/signer.js';
import { isAhead } from '../jose/claims.js';
import { verifyDecoded } from '../jose/verify.js';
import { NetcredError } from '../errors.js';
import { statusListBindingProblem, type StatusListSelf } from './binding.js';
import { isStatusBits, StatusList, type StatusBits } from './status-list.js';

/** The `typ` of a status list token: `statuslist+jwt`. */
export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';

/** Bound on a status list token before parsing (a 1M-entry 2-bit list compresses to far less). */
export const MAX_STATUS_LIST_TOKEN_LENGTH = 4 * 1024 * 1024;

/** What signStatusListToken signs: the list, its URI (`sub`), times, `ttl`, aggregation URI and `iss`. */
export type StatusListTokenInput = {
  /** The list URI: the token's `sub`, equal to `status.status_list.uri` in credentials. */
  uri: string;
  list: StatusList;
  /** Seconds since the epoch; defaults to now. */
  iat?: number;
  exp?: number;
  /** Seconds a verifier may cache the token. */
  ttl?: number;
  aggregationUri?: string;
  /** Optional `iss` claim. */
  iss?: string;
};

/** The JWT claims of a status list token (draft-ietf-oauth-status-list). */
export type StatusListTokenClaims = {
  sub: string;
  iat: number;
  exp?: number;
  ttl?: number;
  iss?: string;
  status_list: { bits: StatusBits; lst: string; aggregation_uri?: string };
};

/** A verified status list token: its claims with the list decoded, and its header. */
export type StatusListTokenContents = {
  sub: string;
  iat: number;
  exp?: number;
  ttl?: number;
  iss?: string;
  list: StatusList;
  aggregationUri?: string;
  header: Record<string, unknown>;
};

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Signs a status list token (JWT form, typ statuslist+jwt) with the issuer's signer. */
export async function signStatusListToken(signer: JwsSigner, input: StatusListTokenInput): Promise<string> {
  const claims: StatusListTokenClaims = {
    sub: input.uri,
    iat: input.iat ?? nowSeconds(),
    status_list: { bits: input.list.bits, lst: input.list.encode() },
  };
  if (input.iss !== undefined) claims.iss = input.iss;
  if (input.exp !== undefined) claims.exp = input.exp;
  if (input.ttl !== undefined) claims.ttl = input.ttl;
  if (input.aggregationUri !== undefined) claims.status_list.aggregation_uri = input.aggregationUri;
  const header: { typ: string; kid?: string } = { typ: STATUS_LIST_JWT_TYP };
  if (signer.kid !== undefined) header.kid = signer.kid;
  return signCompact(header, claims, signer);
}

function invalid(message: string): NetcredError {
  return new NetcredError('STATUS_LIST_TOKEN_INVALID', message);
}

function optionalNumber(payload: Record<string, unknown>, name: string): number | undefined {
  const v = payload[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalid(`status list token claim ${name} must be a non-negative number`);
  return v;
}

function parseClaims(header: Record<string, unknown>, payload: Record<string, unknown>, options: { maxBytes?: number }): StatusListTokenContents {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw invalid('status list token has no sub');
  const iat = optionalNumber(payload, 'iat');
  if (iat === undefined) throw invalid('status list token has no iat');
  const sl = payload.status_list as Record<string, unknown> | undefined;
  if (!sl || typeof sl !== 'object' || Array.isArray(sl)) throw invalid('status list token has no status_list object');
  if (!isStatusBits(sl.bits)) throw invalid('status_list.bits must be 1, 2, 4 or 8');
  if (typeof sl.lst !== 'string') throw invalid('status_list.lst must be a string');
  if (sl.aggregation_uri !== undefined && typeof sl.aggregation_uri !== 'string') throw invalid('status_list.aggregation_uri must be a string');
  if (payload.iss !== undefined && typeof payload.iss !== 'string') throw invalid('status list token iss must be a string');
  const out: StatusListTokenContents = { sub: payload.sub, iat, list: StatusList.decode(sl.lst, sl.bits, options), header };
  const exp = optionalNumber(payload, 'exp');
  const ttl = optionalNumber(payload, 'ttl');
  if (exp !== undefined) out.exp = exp;
  if (ttl !== undefined) out.ttl = ttl;
  if (typeof payload.iss === 'string') out.iss = payload.iss;
  if (typeof sl.aggregation_uri === 'string') out.aggregationUri = sl.aggregation_uri;
  return out;
}

function decodeBounded(jwt: string) {
  if (typeof jwt !== 'string') throw invalid('status list token must be a string');
  if (jwt.length > MAX_STATUS_LIST_TOKEN_LENGTH)
    throw new NetcredError('INPUT_TOO_LARGE', `status list token exceeds ${MAX_STATUS_LIST_TOKEN_LENGTH} characters`);
  return decodeCompact<Record<string, unknown>>(jwt);
}

/** Parses a status list token WITHOUT verifying its signature (inspection, `netcred decode`). */
export function decodeStatusListToken(jwt: string, options: { maxBytes?: number } = {}): StatusListTokenContents {
  const decoded = decodeBounded(jwt);
  return parseClaims(decoded.header, decoded.payload, options);
}

/** What a status list token must satisfy: its URI (`sub`), issuer, time, clock tolerance and size. */
export type VerifyStatusListTokenOptions = {
  /** The `uri` from the credential's status reference: `sub` must equal it. */
  uri?: string;
  /** The credential's issuer: an `iss` claim, when the token has one, must equal it. */
  issuer?: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  /** Accepted clock skew in seconds for exp/iat (default 0). */
  clockToleranceSeconds?: number;
  /** Bound on the decompressed list. */
  maxBytes?: number;
};

const BINDING_CODES = { uri: 'STATUS_LIST_URI_MISMATCH', issuer: 'STATUS_LIST_MISMATCH', expired: 'STATUS_LIST_EXPIRED' } as const;

/**
 * Verifies a status list token: typ statuslist+jwt, signature with `key` (alg none and
 * unsupported algorithms are refused by core/jose), then its binding (core/status/binding.ts):
 * `sub` equal to `uri`, `iss` (if any) equal to `issuer`, `exp` not passed.
 */
export function verifyStatusListToken(jwt: string, key: KeyObject, options: VerifyStatusListTokenOptions = {}): StatusListTokenContents {
  const decoded = decodeBounded(jwt);
  verifyDecoded(decoded, key, { typ: STATUS_LIST_JWT_TYP });
  const contents = parseClaims(decoded.header, decoded.payload, options);
  const now = options.now ?? nowSeconds();
  const skew = options.clockToleranceSeconds ?? 0;
  const self: StatusListSelf = { kind: 'token', id: contents.sub, iss: contents.iss };
  if (contents.exp !== undefined) self.exp = contents.exp;
  const problem = statusListBindingProblem(self, { uri: options.uri, issuer: options.issuer }, now, skew);
  if (problem) throw new NetcredError(BINDING_CODES[problem.reason], problem.message);
  // iat a little ahead is clock drift between issuer and verifier, not an attack: allow a minute.
  if (isAhead(contents.iat, now, skew + 60)) throw new NetcredError('STATUS_LIST_TOKEN_INVALID', 'status list token iat is in the future');
  return contents;
}
