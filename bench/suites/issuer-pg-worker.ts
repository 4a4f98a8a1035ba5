import { generateKeyPairSync } from 'node:crypto';
import { didKeyFromJwk, publicJwkOf } from '../../core/index.js';
import { issueCredential, openIssuer } from '../../issuer/index.js';
import { makeIdNumber, sampleIdentityClaims } from '../../schemas/index.js';

/**
 * One issuer process of bench/suites/issuer-pg.ts (started by it with an IPC channel): opens the
 * issuer of `--data` (on the store its config names, or `--store`), then on each `run` message
 * keeps `inFlight` issueCredential calls going and reports how many completed inside the window
 * [startAt, startAt + windowMs] (epoch ms, the same for every process of a round).
 */

type Run = { cmd: 'run'; startAt: number; windowMs: number; inFlight: number };
type Stop = { cmd: 'stop' };

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

const dataDir = arg('--data')!;
const store = arg('--store');
// People of their own per process: no re-issue between processes (that is another row's story).
const firstPerson = Number(arg('--first-person') ?? 0);

const ctx = await openIssuer({ dataDir, secret: arg('--secret')!, ...(store ? { store } : {}) });
const holderDid = didKeyFromJwk(publicJwkOf(generateKeyPairSync('ed25519').privateKey));
const base = sampleIdentityClaims();
let n = firstPerson;
const issue = () => {
  n++;
  return issueCredential(ctx, {
    holderDid,
    claims: { ...base, id_number: makeIdNumber(String(110000 + (n % 880000)), base.birthdate, 2 * (Math.floor(n / 880000) % 500)) },
  });
};

async function run(m: Run): Promise<number> {
  let count = 0;
  const until = m.startAt + m.windowMs;
  await Promise.all(
    Array.from({ length: m.inFlight }, async () => {
      for (let now = Date.now(); now < until; ) {
        await issue();
        now = Date.now();
        if (now >= m.startAt && now < until) count++;
      }
    }),
  );
  return count;
}

process.on('message', (m: Run | Stop) => {
  if (m.cmd === 'stop') {
    void ctx.close().finally(() => process.exit(0));
    return;
  }
  const cpuBefore = process.cpuUsage();
  run(m).then(
    (count) => {
      const cpu = process.cpuUsage(cpuBefore);
      process.send!({ count, cpuMs: (cpu.user + cpu.system) / 1000 });
    },
    (err: unknown) =>
      process.send!({ error: err instanceof Error ? `${err.message} ${(err as { cause?: { query?: string } }).cause?.query ?? ''}` : String(err) }),
  );
});
process.send!({ ready: true });
