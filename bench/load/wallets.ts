import { generateKeyPairSync } from 'node:crypto';
import { keyObjectSigner, publicJwkOf, signCompact, type JwsSigner } from '../../core/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { opsPerSecondConcurrent } from '../harness.js';
import { cpuSecondsOfTree } from './cpu.js';

/**
 * The wallets of the HTTP benches, in a process of their own (so their signing and HTTP client
 * work does not share the issuer's event loop). One JSON argument: the issuer's URL, its public
 * URL (the proofs' aud), the admin token, the mode, the concurrency and how many offers to
 * enroll first. Modes: `rtt` times plain round trips (GET of the credential issuer metadata);
 * `flow` enrolls the offers (untimed: the enrollment point's step), then times complete
 * OpenID4VCI flows (token, nonce, credential). Prints one JSON line: {opsPerSec, cpu, ...}, cpu
 * being the cores the wallets and (given serverPid) the server's process tree kept busy while
 * timed: where both add up to the machine's cores, a faster server cannot show here.
 */
type Job = { url: string; publicUrl: string; adminToken: string; mode: 'rtt' | 'flow'; concurrency: number; offers: number; ms: number; serverPid?: number };
const job = JSON.parse(process.argv[2]!) as Job;
const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

type Wallet = { signer: JwsSigner; jwk: ReturnType<typeof publicJwkOf> };
const wallets: Wallet[] = Array.from({ length: job.concurrency }, () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { signer: keyObjectSigner(privateKey), jwk: publicJwkOf(privateKey) };
});

let day = 0;
const base = Date.UTC(1940, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000;
async function enrollOne(): Promise<string> {
  const claims = sampleIdentityClaims({ birthdate: new Date(base + day++ * 86_400_000).toISOString().slice(0, 10) });
  const res = await fetch(`${job.url}/admin/enrollments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${job.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ claims, evidence: { method: 'chip+face', station: 'bench', time: new Date().toISOString() }, qr: false }),
  });
  if (res.status !== 201) throw new Error(`enroll: ${res.status} ${await res.text()}`);
  const { offer } = (await res.json()) as { offer: string };
  const o = JSON.parse(new URL(offer).searchParams.get('credential_offer')!) as { grants: Record<string, { 'pre-authorized_code': string }> };
  return o.grants[GRANT]!['pre-authorized_code'];
}

async function flow(code: string, wallet: Wallet): Promise<void> {
  const token = await fetch(`${job.url}/oid4vci/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': code }).toString(),
  });
  if (!token.ok) throw new Error(`token: ${token.status} ${await token.text()}`);
  const { access_token } = (await token.json()) as { access_token: string };
  const nonce = await fetch(`${job.url}/oid4vci/nonce`, { method: 'POST' });
  const { c_nonce } = (await nonce.json()) as { c_nonce: string };
  const proof = await signCompact(
    { typ: 'openid4vci-proof+jwt', jwk: wallet.jwk },
    { aud: job.publicUrl, iat: Math.floor(Date.now() / 1000), nonce: c_nonce },
    wallet.signer,
  );
  const res = await fetch(`${job.url}/oid4vci/credential`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ credential_configuration_id: 'resident_identity_sd_jwt', proofs: { jwt: [proof] } }),
  });
  if (!res.ok) throw new Error(`credential: ${res.status} ${await res.text()}`);
  await res.json();
}

/** Runs `timed`, returning its result and the cores the wallets and the server used meanwhile. */
async function withCpu<T>(timed: () => Promise<T>): Promise<{ result: T; cpu: { walletCores: number; serverCores?: number } }> {
  const at = performance.now();
  const own = process.cpuUsage();
  const server = job.serverPid ? cpuSecondsOfTree(job.serverPid) : undefined;
  const result = await timed();
  const seconds = (performance.now() - at) / 1000;
  const used = process.cpuUsage(own);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    result,
    cpu: {
      walletCores: round((used.user + used.system) / 1e6 / seconds),
      serverCores: server === undefined ? undefined : round((cpuSecondsOfTree(job.serverPid!) - server) / seconds),
    },
  };
}

if (job.mode === 'rtt') {
  const { result: opsPerSec, cpu } = await withCpu(() =>
    opsPerSecondConcurrent(
      async () => {
        const res = await fetch(`${job.url}/.well-known/openid-credential-issuer`);
        await res.arrayBuffer();
      },
      job.concurrency,
      job.ms,
    ),
  );
  process.stdout.write(`${JSON.stringify({ opsPerSec, cpu })}\n`);
} else {
  const codes: string[] = [];
  const enrollers = Array.from({ length: 16 }, async () => {
    while (codes.length < job.offers) codes.push(await enrollOne());
  });
  await Promise.all(enrollers);
  let inline = 0;
  let w = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  let done = 0;
  const { result: opsPerSec, cpu } = await withCpu(() =>
    opsPerSecondConcurrent(
      async () => {
        let code = codes.pop();
        if (code === undefined) {
          inline++;
          code = await enrollOne();
        }
        try {
          await flow(code, wallets[w++ % wallets.length]!);
          done++;
        } catch (err) {
          // counted apart (a flow that failed is not a flow), and the run goes on
          failed++;
          firstFailure ??= (err as Error).message.slice(0, 200);
        }
      },
      job.concurrency,
      job.ms,
    ),
  );
  // opsPerSecondConcurrent counts calls: keep only the share that completed a flow
  const completed = done + failed === 0 ? opsPerSec : (opsPerSec * done) / (done + failed);
  process.stdout.write(`${JSON.stringify({ opsPerSec: completed, cpu, failed, firstFailure, enrolledInline: inline, offersLeft: codes.length })}\n`);
}
process.exit(0);
