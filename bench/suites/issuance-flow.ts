import { generateKeyPairSync } from 'node:crypto';
import { didJwkFromJwk, keyObjectSigner, publicJwkOf, signCompact, type JwsSigner } from '../../core/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { createEnrollmentOffer, issueCredential, startEphemeralIssuer } from '../../issuer/index.js';
import { opsPerSecond, opsPerSecondConcurrent, ratio, type BenchRow, type BenchSuite } from '../harness.js';

const WALLETS = 10;
const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** A distinct resident per call (a distinct id_number), so no issuance supersedes another. */
function residents(): () => ReturnType<typeof sampleIdentityClaims> {
  let day = 0;
  const base = Date.UTC(1950, 0, 1);
  return () => sampleIdentityClaims({ birthdate: new Date(base + day++ * 86_400_000).toISOString().slice(0, 10) });
}

type Wallet = { signer: JwsSigner; jwk: ReturnType<typeof publicJwkOf> };

/** One wallet's complete flow: token (pre-authorized code) + nonce + credential, over HTTP. */
async function flow(url: string, code: string, wallet: Wallet): Promise<void> {
  const token = await fetch(`${url}/oid4vci/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': code }).toString(),
  });
  if (!token.ok) throw new Error(`token: ${token.status} ${await token.text()}`);
  const { access_token } = (await token.json()) as { access_token: string };
  const nonce = await fetch(`${url}/oid4vci/nonce`, { method: 'POST' });
  const { c_nonce } = (await nonce.json()) as { c_nonce: string };
  const proof = await signCompact(
    { typ: 'openid4vci-proof+jwt', jwk: wallet.jwk },
    { aud: url, iat: Math.floor(Date.now() / 1000), nonce: c_nonce },
    wallet.signer,
  );
  const res = await fetch(`${url}/oid4vci/credential`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ credential_configuration_id: 'resident_identity_sd_jwt', proofs: { jwt: [proof] } }),
  });
  if (!res.ok) throw new Error(`credential: ${res.status} ${await res.text()}`);
  await res.json();
}

/**
 * OpenID4VCI issuance flows per second with 10 concurrent wallets against the real HTTP server
 * (SQLite file, EdDSA issuer key), next to the in-process mint rate (issueCredential) measured
 * in the same run. Offers are enrolled before the clock starts: enrollment is the admin step
 * at the enrollment point, not part of the wallet's flow.
 */
export const issuanceFlowSuite: BenchSuite = {
  name: 'issuance-flow',
  async run(): Promise<BenchRow[]> {
    const issuer = await startEphemeralIssuer({
      secret: 'bench-secret-0123456789abcdef0123456789',
      adminToken: 'bench-admin-token-0123456789',
      tmpPrefix: 'netcred-bench-oid4vci-',
    });
    try {
      const url = issuer.url;
      const next = residents();
      const c = issuer.ctx;

      const mintPerSec = await opsPerSecond(() => issueCredential(c, { holderDid: walletDid, claims: next(), format: 'dc+sd-jwt' }));

      const wallets: Wallet[] = Array.from({ length: WALLETS }, () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        return { signer: keyObjectSigner(privateKey), jwk: publicJwkOf(privateKey) };
      });
      const codes: string[] = [];
      const enrollOne = async () => {
        const { offer } = await createEnrollmentOffer(c, {
          claims: next(),
          evidence: { method: 'chip+face', station: 'bench', time: new Date().toISOString() },
        });
        const o = JSON.parse(new URL(offer).searchParams.get('credential_offer')!) as { grants: Record<string, { 'pre-authorized_code': string }> };
        return o.grants[GRANT]!['pre-authorized_code'];
      };
      // Enough offers for the run at up to ~1.5x the in-process mint rate; if they run out, the
      // flow enrolls inline (counted, so the figure can only err low).
      const ms = Number(process.env.BENCH_MS ?? 1500);
      const pool = Math.min(4000, Math.ceil((mintPerSec * 1.5 * (ms + 500)) / 1000) + 50);
      for (let i = 0; i < pool; i++) codes.push(await enrollOne());
      let w = 0;
      const flowsPerSec = await opsPerSecondConcurrent(async () => flow(url, codes.pop() ?? (await enrollOne()), wallets[w++ % WALLETS]!), WALLETS);

      return [
        { suite: 'issuance-flow', name: 'in-process mint (issueCredential, dc+sd-jwt)', opsPerSec: mintPerSec },
        {
          suite: 'issuance-flow',
          name: `OpenID4VCI flow (token+nonce+credential), ${WALLETS} concurrent wallets over HTTP`,
          opsPerSec: flowsPerSec,
          ratios: { vsInProcessMint: ratio(flowsPerSec, mintPerSec) },
          extra: { wallets: WALLETS, offersPreEnrolled: pool, offersLeft: codes.length },
        },
      ];
    } finally {
      await issuer.close();
    }
  },
};

/** The holder of the in-process mints: a did:jwk, as a proof's jwk would give. */
const walletDid = didJwkFromJwk(publicJwkOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey));
