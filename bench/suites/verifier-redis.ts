import { generateKeyPairSync, randomUUID } from 'node:crypto';
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
} from '../../core/index.js';
import { RESIDENT_IDENTITY_VCT, sampleIdentityClaims } from '../../schemas/index.js';
import { addDidIssuer, connectRedisState, emptyTrustBundle, ReplayCache, TrustStore, verifyPresentationAsync } from '../../verifier/index.js';
import { opsPerSecondConcurrent, ratio, type BenchRow, type BenchSuite } from '../harness.js';

const AUD = 'https://kiosk.bench';
const LIST_URI = 'https://issuer.bench/status/lists/1';
const REDIS_URL = process.env.NETCRED_BENCH_REDIS ?? 'redis://127.0.0.1:6379';
const IN_FLIGHT = 16;

/** `n` presentations of one credential, each with its own KB-JWT (a replay check accepts each once). */
async function presentations(n: number): Promise<{ store: TrustStore; list: string[] }> {
  const issuerKey = generateKeyPairSync('ed25519').privateKey;
  const holderKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const did = didKeyFromJwk(publicJwkOf(issuerKey));
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
    cnf: { jwk: publicJwkOf(holderKey) },
    status: { status_list: { idx: 7, uri: LIST_URI } },
    _sd: Object.values(disclosures)
      .map((d) => sdDigest(d))
      .sort(),
    _sd_alg: 'sha-256',
  };
  const jwt = await signCompact({ typ: 'dc+sd-jwt', kid }, payload, keyObjectSigner(issuerKey, kid));
  const sdJwt = `${[jwt, disclosures.given_name, disclosures.family_name, disclosures.age_over_18].join('~')}~`;
  const listJwt = await signStatusListToken(keyObjectSigner(issuerKey, kid), { uri: LIST_URI, list: new StatusList(1_000_000, 2), ttl: 3600, iss: did });
  let bundle = addDidIssuer(emptyTrustBundle(), did, [RESIDENT_IDENTITY_VCT]);
  bundle = { ...bundle, statusLists: [{ uri: LIST_URI, kind: 'token', issuer: did, jwt: listJwt, fetchedAt: new Date().toISOString() }] };
  const holder = keyObjectSigner(holderKey);
  const list: string[] = [];
  for (let i = 0; i < n; i++)
    list.push(sdJwt + (await signCompact({ typ: 'kb+jwt' }, { iat: now, aud: AUD, nonce: `bench-${i}`, sd_hash: sdDigest(sdJwt) }, holder)));
  return { store: new TrustStore(bundle), list };
}

/**
 * The verifier's replay check through Redis (verifier serve --cache): full lite verifications
 * a second, 16 in flight, each presentation with a fresh KB-JWT, with the replay memory in
 * process (one kiosk) and in Redis (every kiosk), in the same run. Skipped, with the reason,
 * when no Redis answers.
 */
export const verifierRedisSuite: BenchSuite = {
  name: 'verifier-redis',
  async run(): Promise<BenchRow[]> {
    const ms = Number(process.env.BENCH_MS ?? 1500);
    const { store, list } = await presentations(4000);
    let i = 0;
    const next = () => list[i++ % list.length]!;
    const run = (replayCache: ReplayCache | Awaited<ReturnType<typeof connectRedisState>>['replay']) => async () => {
      const r = await verifyPresentationAsync(next(), { trust: store, aud: AUD, profile: 'lite', replayCache });
      // a wrap-around of the list replays: count it all the same, the check ran
      if (!r.valid && r.code !== 'KB_JWT_REPLAYED') throw new Error(`bench presentation rejected: ${r.code} ${r.message}`);
    };
    const memory = await opsPerSecondConcurrent(run(new ReplayCache()), IN_FLIGHT, ms);
    let state: Awaited<ReturnType<typeof connectRedisState>>;
    try {
      state = await connectRedisState({
        url: REDIS_URL,
        prefix: `netcred-bench:${randomUUID()}:`,
        secret: 'bench-cache-secret-0123456789abcdef',
        log: () => undefined,
      });
      if (!state.connected) throw new Error(`no Redis at ${REDIS_URL}`);
    } catch (err) {
      return [
        { suite: 'verifier-redis', name: 'full lite verification, replay memory in process', opsPerSec: memory },
        { suite: 'verifier-redis', name: 'full lite verification, replay check through Redis', opsPerSec: 0, extra: { skipped: (err as Error).message } },
      ];
    }
    try {
      const memory2 = await opsPerSecondConcurrent(run(new ReplayCache()), IN_FLIGHT, ms);
      const redis = await opsPerSecondConcurrent(run(state.replay), IN_FLIGHT, ms);
      const inProcess = Math.max(memory, memory2);
      return [
        { suite: 'verifier-redis', name: `full lite verification, replay memory in process, ${IN_FLIGHT} in flight`, opsPerSec: inProcess },
        {
          suite: 'verifier-redis',
          name: `full lite verification, replay check through Redis (SET NX EX), ${IN_FLIGHT} in flight`,
          opsPerSec: redis,
          ratios: { vsInProcess: ratio(redis, inProcess) },
          extra: { redis: REDIS_URL },
        },
      ];
    } finally {
      await state.close();
    }
  },
};
