import { isSdHashAlg, type SdHashAlg } from './hash.js';
import { SdJwtFormatError, disclosureDigest, type Disclosure } from './parse.js';
import type { ClaimNode, ClaimPath } from './claim-tree.js';

/**
 * Codes of RFC 9901 section 7.1 violations: the verifier's verdict codes, used by every role.
 * MALFORMED is a payload shape problem (`_sd` not an array, a digest not a string, hostile depth).
 */
export type DisclosureCode =
  | 'MALFORMED'
  | 'DISCLOSURE_MALFORMED'
  | 'DISCLOSURE_UNREFERENCED'
  | 'DISCLOSURE_DUPLICATE_DIGEST'
  | 'DISCLOSURE_FORBIDDEN_NAME'
  | 'DISCLOSURE_NAME_COLLISION';

export type DisclosureProblem = {
  code: DisclosureCode;
  message: string;
  /** Where in the processed claims (`$`, `$.address.street`, `$.nationalities[1]`). */
  path: string;
};

/** An RFC 9901 section 7.1 violation, thrown on the first problem unless problems are collected. */
export class DisclosureError extends SdJwtFormatError {
  declare readonly code: DisclosureCode | 'SD_ALG_UNSUPPORTED';
  /** Where, when the processor tracked paths (collecting or building the tree). */
  readonly path?: string;
  constructor(code: DisclosureCode | 'SD_ALG_UNSUPPORTED', message: string, path?: string) {
    super(code, message);
    if (path !== undefined) this.path = path;
  }
}

export type ProcessOptions = {
  /** `_sd_alg` values accepted (default: every one we can compute). */
  sdAlgs?: readonly SdHashAlg[];
  /** Record every problem in `problems` and go on (for inspection), instead of throwing the first. */
  collect?: boolean;
  /** Build `root` (the claim tree) and `paths` (where each disclosure landed), for presentation planning. */
  tree?: boolean;
};

export type ProcessedDisclosures = {
  /** The payload with every disclosure applied; `_sd`, top-level `_sd_alg` and undisclosed `...` elements removed. A fresh tree. */
  claims: Record<string, unknown>;
  sdAlg: SdHashAlg;
  /** The digest of each disclosure, by index. */
  digests: string[];
  /** Whether a digest in the payload (or in another disclosure) references each disclosure, by index. */
  referenced: boolean[];
  /** Empty unless `collect`: a strict caller rejects when it is not. */
  problems: DisclosureProblem[];
  /** With `tree`: the claims as nodes recording which disclosure revealed each one. */
  root?: ClaimNode;
  /** With `tree`: the claim path of each disclosure, by index (undefined when not applied). */
  paths?: (ClaimPath | undefined)[];
};

/** Nesting bound of the processed payload: hostile depth is MALFORMED, not a stack overflow. */
export const MAX_CLAIM_DEPTH = 64;

const ALL_SD_ALGS: readonly SdHashAlg[] = ['sha-256', 'sha-384', 'sha-512'];

/** The payload's `_sd_alg` (default sha-256); SD_ALG_UNSUPPORTED when not one of `allowed`. */
export function sdAlgOf(payload: Record<string, unknown>, allowed: readonly SdHashAlg[] = ALL_SD_ALGS): SdHashAlg {
  // Absent means sha-256 (RFC 9901 section 4.1.1); a present `null` is a value we do not understand.
  const alg = payload._sd_alg === undefined ? 'sha-256' : payload._sd_alg;
  if (!isSdHashAlg(alg) || !allowed.includes(alg)) throw new DisclosureError('SD_ALG_UNSUPPORTED', `_sd_alg ${String(alg)} is not supported`);
  return alg;
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-property assignment that cannot touch a prototype (a disclosed name may be `__proto__`). */
function put(target: JsonObject, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

type State = {
  disclosures: readonly Disclosure[];
  byDigest: Map<string, number>;
  seen: Set<string>;
  referenced: boolean[];
  used: number;
  problems: DisclosureProblem[] | undefined;
  /** Current claim path; kept only when collecting or building the tree (the verifier's hot path skips it). */
  path: ClaimPath | undefined;
  paths: (ClaimPath | undefined)[] | undefined;
};

function pathText(path: ClaimPath): string {
  let s = '$';
  for (const step of path) s += typeof step === 'number' ? `[${step}]` : `.${step}`;
  return s;
}

/** Throws, or records and returns false when collecting. */
function problem(st: State, code: DisclosureCode, message: string): false {
  const path = st.path ? pathText(st.path) : undefined;
  if (!st.problems) throw new DisclosureError(code, message, path);
  st.problems.push({ code, message, path: path ?? '$' });
  return false;
}

/** Marks a digest seen (each may appear once in the whole tree) and returns its disclosure's index, if any. */
function take(st: State, digest: unknown): number | undefined {
  if (typeof digest !== 'string') return void problem(st, 'MALFORMED', 'a digest is not a string');
  if (st.seen.has(digest)) return void problem(st, 'DISCLOSURE_DUPLICATE_DIGEST', `digest ${digest} appears more than once`);
  st.seen.add(digest);
  const i = st.byDigest.get(digest);
  if (i !== undefined && !st.referenced[i]) {
    st.referenced[i] = true;
    st.used++;
  }
  return i;
}

function walk(st: State, value: unknown, depth: number, node: ClaimNode | undefined): unknown {
  if (depth > MAX_CLAIM_DEPTH) return void problem(st, 'MALFORMED', `claims nested deeper than ${MAX_CLAIM_DEPTH} levels`);
  if (Array.isArray(value)) return walkArray(st, value, depth, node);
  if (isObject(value)) return walkObject(st, value, depth, node);
  return value;
}

/** Walks `value` as the child `key` of `parent`, recording a tree node and the path when asked. */
function child(st: State, value: unknown, depth: number, parent: ClaimNode | undefined, key: string | number, disclosure?: number): unknown {
  if (!st.path) return walk(st, value, depth, undefined);
  st.path.push(key);
  if (disclosure !== undefined && st.paths) st.paths[disclosure] = [...st.path];
  let node: ClaimNode | undefined;
  if (parent) {
    node = { value: undefined };
    if (disclosure !== undefined) node.disclosure = disclosure;
  }
  const out = walk(st, value, depth, node);
  st.path.pop();
  if (parent && node) {
    node.value = out;
    parent.children!.set(key, node);
  }
  return out;
}

function walkObject(st: State, obj: JsonObject, depth: number, node: ClaimNode | undefined): JsonObject {
  const out: JsonObject = {};
  if (node) node.children = new Map();
  for (const k of Object.keys(obj)) {
    if (k === '_sd' || (depth === 0 && k === '_sd_alg')) continue;
    // "..." only ever marks an array element digest: as a member name it is a forged or broken digest.
    if (k === '...' && !problem(st, 'DISCLOSURE_MALFORMED', 'an object member is named "..." outside an array element digest')) continue;
    put(out, k, child(st, obj[k], depth + 1, node, k));
  }
  if (!Object.hasOwn(obj, '_sd')) return out;
  const sd = obj._sd;
  if (!Array.isArray(sd)) {
    problem(st, 'MALFORMED', '_sd is not an array');
    return out;
  }
  for (const digest of sd) {
    const i = take(st, digest);
    if (i === undefined) continue; // a decoy, or a claim the holder did not disclose
    const d = st.disclosures[i]!;
    if (d.name === undefined) {
      problem(st, 'DISCLOSURE_MALFORMED', 'an array element disclosure is referenced from _sd');
      continue;
    }
    if (d.name === '_sd' || d.name === '...') {
      problem(st, 'DISCLOSURE_FORBIDDEN_NAME', `a disclosure may not name a claim "${d.name}"`);
      continue;
    }
    // Against the signed object too: a disclosure may not shadow a member dropped here (`_sd_alg`).
    if (Object.hasOwn(obj, d.name) || Object.hasOwn(out, d.name)) {
      problem(st, 'DISCLOSURE_NAME_COLLISION', `disclosed claim "${d.name}" already exists at its level`);
      continue;
    }
    put(out, d.name, child(st, d.value, depth + 1, node, d.name, i));
  }
  return out;
}

function walkArray(st: State, arr: unknown[], depth: number, node: ClaimNode | undefined): unknown[] {
  const out: unknown[] = [];
  if (node) node.children = new Map();
  for (const el of arr) {
    if (isObject(el) && Object.hasOwn(el, '...')) {
      if (Object.keys(el).length !== 1) problem(st, 'DISCLOSURE_MALFORMED', 'an array element digest object has keys besides "..."');
      const i = take(st, el['...']);
      if (i === undefined) continue; // undisclosed element: removed
      const d = st.disclosures[i]!;
      if (d.name !== undefined) {
        problem(st, 'DISCLOSURE_MALFORMED', 'an object property disclosure is referenced as an array element');
        continue;
      }
      out.push(child(st, d.value, depth + 1, node, out.length, i));
      continue;
    }
    out.push(child(st, el, depth + 1, node, out.length));
  }
  return out;
}

/**
 * RFC 9901 section 7.1 steps 3-5 for every role: checks `_sd_alg`, replaces digests by the
 * disclosed values and applies every reject rule (duplicate digests or disclosures, forbidden
 * and colliding names, disclosures of the wrong kind for where they are referenced, unreferenced
 * disclosures, hostile depth). Digests are over the encoded disclosures, never re-serialized JSON.
 * The signed payload is never mutated. Throws a DisclosureError on the first problem unless
 * `collect`; SD_ALG_UNSUPPORTED always throws (no digest can be computed).
 */
export function processDisclosures(payload: Record<string, unknown>, disclosures: readonly Disclosure[], options: ProcessOptions = {}): ProcessedDisclosures {
  const sdAlg = sdAlgOf(payload, options.sdAlgs);
  const track = options.collect === true || options.tree === true;
  const st: State = {
    disclosures,
    byDigest: new Map(),
    seen: new Set(),
    referenced: new Array<boolean>(disclosures.length).fill(false),
    used: 0,
    problems: options.collect ? [] : undefined,
    path: track ? [] : undefined,
    paths: options.tree ? new Array<ClaimPath | undefined>(disclosures.length).fill(undefined) : undefined,
  };
  const digests = disclosures.map((d, i) => {
    const digest = disclosureDigest(d, sdAlg);
    // The same disclosure twice would be referenced by one digest only: reject rather than guess.
    if (st.byDigest.has(digest)) problem(st, 'DISCLOSURE_DUPLICATE_DIGEST', `disclosure ${i} is the same as an earlier one (digest ${digest})`);
    else st.byDigest.set(digest, i);
    return digest;
  });
  const root: ClaimNode | undefined = options.tree ? { value: undefined } : undefined;
  const claims = walkObject(st, payload, 0, root);
  if (root) root.value = claims;
  if (st.used !== st.byDigest.size) {
    if (st.path) st.path.length = 0;
    for (const [digest, i] of st.byDigest) {
      if (!st.referenced[i]) problem(st, 'DISCLOSURE_UNREFERENCED', `disclosure ${i} (digest ${digest}) is not referenced by any digest`);
    }
  }
  // A repeated disclosure is referenced exactly when its first copy is.
  for (let i = 0; i < digests.length; i++)
    if (!st.referenced[i] && st.byDigest.get(digests[i]!) !== i) st.referenced[i] = st.referenced[st.byDigest.get(digests[i]!)!]!;
  const out: ProcessedDisclosures = { claims, sdAlg, digests, referenced: st.referenced, problems: st.problems ?? [] };
  if (root) {
    out.root = root;
    out.paths = st.paths!;
  }
  return out;
}
