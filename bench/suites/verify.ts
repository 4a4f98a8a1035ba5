import { createPublicKey, generateKeyPairSync, verify as nodeVerify, type KeyObject } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import {
  algForKey,
  b64uEncode,
  didKeyFromJwk,
  generateSalt,
  keyObjectSigner,
  nodeSignParams,
  publicJwkOf,
  sdDigest,
  sdJwtHasher,
  signCompact,
  signStatusListToken,
  StatusList,
} from '../../core/index.js';
import { RESIDENT_IDENTITY_VCT, sampleIdentityClaims } from '../../schemas/index.js';
import { addDidIssuer, emptyTrustBundle, TrustStore, verifyPresentation, type StatusListEntry } from '../../verifier/index.js';
import { bestOfInterleaved, opsPerSecond, ratio, type BenchRow, type BenchSuite } from '../harness.js';

const AUD = 'https://kiosk.bench';
const LIST_URI = 'https://issuer.bench/status/lists/1';

/** CPU microseconds per call, best of several rounds: unlike wall time, not inflated by other processes. */
function cpuMicros(fns: Array<() => unknown>, rounds = 8, ms = 150): number[] {
  const best = fns.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    for (const [i, fn] of fns.entries()) {
      const start = process.cpuUsage();
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < ms) {
        fn();
        n++;
      }
      const used = process.cpuUsage(start);
      best[i] = Math.min(best[i]!, (used.user + used.system) / n);
    }
  }
  return best;
}

function rawVerifier(jws: string, key: KeyObject): () => boolean {
  const dot = jws.lastIndexOf('.');
  const input = Buffer.from(jws.slice(0, dot), 'ascii');
  const sig = Buffer.from(jws.slice(dot + 1), 'base64url');
  const { digest, dsaEncoding } = nodeSignParams(algForKey(key));
  const k = dsaEncoding ? { key, dsaEncoding } : key;
  return () => {
    if (!nodeVerify(digest, input, k, sig)) throw new Error('raw verify failed');
    return true;
  };
}

/** A lite presentation of the identity credential: Ed25519 issuer (did:key), P-256 holder key. */
/** Exposed for profiling. */
export async function benchScenario() {
  return scenario();
}

async function scenario() {
  const issuerKey = generateKeyPairSync('ed25519').privateKey;
  const holderKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const issuerJwk = publicJwkOf(issuerKey);
  const holderJwk = publicJwkOf(holderKey);
  const did = didKeyFromJwk(issuerJwk);
  const kid = `${did}#${did.slice('did:key:'.length)}`;
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...sampleIdentityClaims(), age_over_18: true } as Record<string, unknown>;
  const disclosures: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) disclosures[name] = b64uEncode(JSON.stringify([generateSalt(), name, value]));
  const payload = {
    iss: did,
    iat: now - 60,
    exp: now + 86400 * 365,
    vct: RESIDENT_IDENTITY_VCT,
    cnf: { jwk: holderJwk },
    status: { status_list: { idx: 7, uri: LIST_URI } },
    _sd: Object.values(disclosures)
      .map((d) => sdDigest(d))
      .sort(),
    _sd_alg: 'sha-256',
  };
  const jwt = await signCompact({ typ: 'dc+sd-jwt', kid }, payload, keyObjectSigner(issuerKey, kid));
  const sdJwt = `${[jwt, disclosures.given_name, disclosures.family_name, disclosures.age_over_18].join('~')}~`;
  const kb = await signCompact({ typ: 'kb+jwt' }, { iat: now, aud: AUD, nonce: 'bench-nonce', sd_hash: sdDigest(sdJwt) }, keyObjectSigner(holderKey));
  const list = new StatusList(1_000_000, 2);
  const listJwt = await signStatusListToken(keyObjectSigner(issuerKey, kid), { uri: LIST_URI, list, ttl: 3600, iss: did });
  let bundle = addDidIssuer(emptyTrustBundle(), did, [RESIDENT_IDENTITY_VCT]);
  bundle = { ...bundle, statusLists: [{ uri: LIST_URI, kind: 'token', issuer: did, jwt: listJwt, fetchedAt: new Date().toISOString() }] };
  return { issuerKey, holderKey, did, kid, jwt, kb, listJwt, presentation: sdJwt + kb, bundle, store: new TrustStore(bundle) };
}

async function throughput(): Promise<BenchRow[]> {
  const s = await scenario();
  const rawIssuer = rawVerifier(s.jwt, s.store.issuerKey(s.did, { kid: s.kid }, Math.floor(Date.now() / 1000)).key);
  const rawKb = rawVerifier(s.kb, createPublicKey(s.holderKey));
  const full = () => {
    const r = verifyPresentation(s.presentation, { trust: s.store, aud: AUD, profile: 'lite' });
    if (!r.valid) throw new Error(`bench presentation rejected: ${r.code} ${r.message}`);
  };
  full();

  // Peer baseline: @sd-jwt/sd-jwt-vc verifying the same presentation (signatures + KB, no status/policy).
  const sigVerifier = (key: KeyObject) => (data: string, sig: string) => {
    const { digest, dsaEncoding } = nodeSignParams(algForKey(key));
    return nodeVerify(digest, Buffer.from(data), dsaEncoding ? { key, dsaEncoding } : key, Buffer.from(sig, 'base64url'));
  };
  const issuerKeyObject = s.store.issuerKey(s.did, { kid: s.kid }, Math.floor(Date.now() / 1000)).key;
  const holderKeyObject = createPublicKey(s.holderKey);
  const peer = new SDJwtVcInstance({
    hasher: sdJwtHasher,
    hashAlg: 'sha-256',
    verifier: sigVerifier(issuerKeyObject),
    kbVerifier: sigVerifier(holderKeyObject),
    // Served from memory: the peer fetches and decodes the list on every verify (its design).
    statusListFetcher: async () => s.listJwt,
    statusVerifier: sigVerifier(issuerKeyObject),
  });
  const peerVerify = async () => {
    await peer.verify(s.presentation, { keyBindingNonce: 'bench-nonce', requiredClaimKeys: ['given_name'] } as never);
  };
  await peerVerify();

  const rawBothFn = () => {
    rawIssuer();
    rawKb();
  };
  const [rawBoth, fullOps, peerOps] = await bestOfInterleaved([rawBothFn, full, peerVerify]);
  const [rawCpu, fullCpu] = cpuMicros([rawBothFn, full]);
  return [
    { suite: 'verify', name: 'raw bound: node:crypto verify of issuer EdDSA + KB-JWT ES256 signatures', opsPerSec: rawBoth! },
    {
      suite: 'verify',
      name: 'full offline verification (issuer sig + KB-JWT + status + type metadata/schema + lite policy)',
      opsPerSec: fullOps!,
      ratios: { vsRawBound: ratio(fullOps!, rawBoth!), vsRawBoundCpu: ratio(rawCpu!, fullCpu!), vsSdJwtVcPeer: ratio(fullOps!, peerOps!) },
      extra: { target: 'vsRawBound >= 0.7', cpuUsPerOp: Math.round(fullCpu!), rawCpuUsPerOp: Math.round(rawCpu!) },
    },
    {
      suite: 'verify',
      name: 'peer: @sd-jwt/sd-jwt-vc verify (signatures + KB + status list fetched from memory and decoded per call; no schema/policy)',
      opsPerSec: peerOps!,
    },
  ];
}

/** A full GC on demand (the flag is set at run time, so `npm run bench` needs no node option). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

/** RSS with 100 cached lists of 1,000,000 2-bit entries, decoded once at bundle load. */
async function memory(): Promise<BenchRow[]> {
  const issuerKey = generateKeyPairSync('ed25519').privateKey;
  const did = didKeyFromJwk(publicJwkOf(issuerKey));
  const kid = `${did}#${did.slice('did:key:'.length)}`;
  const signer = keyObjectSigner(issuerKey, kid);
  const lists: StatusListEntry[] = [];
  const fetchedAt = new Date().toISOString();
  for (let i = 0; i < 100; i++) {
    const list = new StatusList(1_000_000, 2);
    for (let j = 0; j < 1000; j++) list.set((j * 7919 + i * 104729) % 1_000_000, 1); // 0.1 % revoked
    const uri = `https://issuer.bench/status/lists/${i + 1}`;
    lists.push({ uri, kind: 'token', issuer: did, jwt: await signStatusListToken(signer, { uri, list, ttl: 3600, iss: did }), fetchedAt });
  }
  const bundle = { ...addDidIssuer(emptyTrustBundle(), did, [RESIDENT_IDENTITY_VCT]), statusLists: lists };
  const gc = collector();
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const store = new TrustStore(bundle);
  const loadMs = performance.now() - t0;
  gc();
  const after = process.memoryUsage();
  let cachedBytes = 0;
  for (const l of lists) cachedBytes += store.statusList(l.uri)!.list.data.byteLength;
  const lookups = await opsPerSecond(() => store.statusList('https://issuer.bench/status/lists/50')!.list.get(123_456), 300);
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return [
    {
      suite: 'verify',
      name: 'memory: 100 cached status lists x 1,000,000 entries (2 bits); ops/s = cached status lookups',
      opsPerSec: lookups,
      extra: {
        rssMB: mb(after.rss),
        rssDeltaMB: mb(after.rss - before.rss),
        arrayBuffersDeltaMB: mb(after.arrayBuffers - before.arrayBuffers),
        cachedListMB: mb(cachedBytes),
        bundleLoadMs: Math.round(loadMs),
        tokenKBEach: Math.round(lists[0]!.jwt.length / 1024),
      },
    },
  ];
}

export const verifySuite: BenchSuite = {
  name: 'verify',
  async run() {
    return [...(await throughput()), ...(await memory())];
  },
};
