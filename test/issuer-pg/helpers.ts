import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { describe, it } from 'vitest';
import { keyObjectSigner, publicJwkOf, signCompact } from '../../core/index.js';
import { makeIdNumber, sampleIdentityClaims } from '../../schemas/index.js';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { TEST_ISSUER_ADMIN_TOKEN, TEST_ISSUER_SECRET } from '../helpers/issuer.js';

/**
 * The issuer on a real PostgreSQL 15 (127.0.0.1:5432, user postgres, trust auth): each test makes
 * its own database `netcred_t_<random>` from the `test` database and drops it afterwards, so
 * tests and other users of the server never share state. Never stops the server itself.
 */

export const PG_HOST = '127.0.0.1';
export const PG_PORT = 5432;

function adminClient(): pg.Client {
  return new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: 'test', connectionTimeoutMillis: 3000 });
}

/** Why PostgreSQL cannot be used here, or undefined when it can. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const c = adminClient();
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${PG_HOST}:${PG_PORT} (user postgres, database test) is not reachable: ${err instanceof Error ? err.message || err.constructor.name : String(err)}`;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Prints why a file's PostgreSQL tests are skipped; under CI=true registers a failing test
 * instead (.ci/run starts PostgreSQL). Returns whether the tests can run.
 */
export async function requirePostgres(file: string): Promise<boolean> {
  const reason = await postgresUnavailable();
  if (!reason) return true;
  if (process.env.CI === 'true') {
    describe(`${file} (CI)`, () => {
      it('needs PostgreSQL: .ci/run starts it', () => {
        throw new Error(`PostgreSQL is required under CI=true: ${reason}`);
      });
    });
  } else {
    process.stderr.write(`${file}: PostgreSQL tests skipped: ${reason}\n`);
  }
  return false;
}

/** The application_name of the test's own connections, which terminateBackends leaves alone. */
const TEST_CLIENT = 'netcred-test-check';

export type TestDatabase = {
  name: string;
  url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
};

/** A fresh database for one test, and a client on it for the test's own checks. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `netcred_t_${randomBytes(6).toString('hex')}`;
  const admin = adminClient();
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `postgres://postgres@${PG_HOST}:${PG_PORT}/${name}`;
  const client = new pg.Client({ connectionString: url, application_name: TEST_CLIENT });
  client.on('error', () => undefined);
  await client.connect();
  return {
    name,
    url,
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async drop() {
      await client.end().catch(() => undefined);
      const a = adminClient();
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Ends the issuer's connections to a database (what a failover or an admin does), not the server nor the test's own. */
export async function terminateBackends(database: string): Promise<number> {
  const a = adminClient();
  await a.connect();
  try {
    const r = await a.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2',
      [database, TEST_CLIENT],
    );
    return r.rowCount ?? 0;
  } finally {
    await a.end();
  }
}

export const ISSUER_ENV = { NETCRED_SECRET: TEST_ISSUER_SECRET, NETCRED_ADMIN_TOKEN: TEST_ISSUER_ADMIN_TOKEN };

/** `netcred issuer init --store URL` in `dataDir` (the real CLI); its public URL is `publicUrl`. */
export async function initPgIssuer(dataDir: string, storeUrl: string, publicUrl: string): Promise<void> {
  const r = await runCli(['issuer', 'init', '--data', dataDir, '--store', storeUrl, '--public-url', publicUrl, '--json'], {
    env: ISSUER_ENV,
    timeoutMs: 120_000,
  });
  if (r.code !== 0) throw new Error(`issuer init --store failed (${r.code}): ${r.stderr}`);
}

export type IssuerNode = { url: string; process: ChildProcess; output(): string; exited: Promise<number | null>; stop(): Promise<void> };

/** One `netcred issuer serve` process on the shared data dir (its config names the database), on a port of its own. */
export async function startNode(dataDir: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<IssuerNode> {
  const proc = spawn(process.execPath, [...cliNodeArgs(), 'issuer', 'serve', '--data', dataDir, '--port', '0', '--rate-limit', '0', '--json', ...extraArgs], {
    cwd: repoRoot,
    env: { ...process.env, ...ISSUER_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    proc.once('exit', (code) => reject(new Error(`issuer serve exited ${code} before listening: ${err}`)));
  });
  return {
    url,
    process: proc,
    exited,
    output: () => `${out}${err}`,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Person `n` of a test: valid claims with an id_number of their own. */
export function person(n: number): ReturnType<typeof sampleIdentityClaims> {
  const day = new Date(Date.UTC(1950, 0, 1) + (n % 18000) * 86400000).toISOString().slice(0, 10);
  const sequence = 2 * (Math.floor(n / 18000) % 499) + 2; // even: sex 2
  return sampleIdentityClaims({ birthdate: day, id_number: makeIdNumber('330802', day, sequence) });
}

export type Issued = { credential: string; holderKey: KeyObject };

export class FlowError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    step: string,
  ) {
    super(`${step}: HTTP ${status} ${JSON.stringify(body)}`);
  }
}

async function post(url: string, body: string, headers: Record<string, string>, step: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status >= 300) throw new FlowError(res.status, json, step);
  return json;
}

/**
 * The production issuance path over HTTP, as a kiosk and a wallet drive it: the enrollment
 * (admin API) makes an offer with a pre-authorized code; the wallet redeems it at the token
 * endpoint, gets a c_nonce and asks for the credential with a proof of its key. `credentialIssuer`
 * is the issuer's public URL (the proof's audience), `node` where the requests go.
 */
export async function issueOverHttp(node: string, credentialIssuer: string, claims: unknown): Promise<Issued> {
  const enrollment = await post(
    `${node}/admin/enrollments`,
    JSON.stringify({ claims, evidence: { method: 'chip+face', station: 'station-pg', time: new Date().toISOString() }, qr: false }),
    { authorization: `Bearer ${TEST_ISSUER_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    'enrollment',
  );
  const offer = JSON.parse(new URL(enrollment.offer as string).searchParams.get('credential_offer')!) as {
    grants: Record<string, { 'pre-authorized_code': string }>;
    credential_configuration_ids: string[];
  };
  const code = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'];
  const token = await post(
    `${node}/oid4vci/token`,
    new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }).toString(),
    { 'content-type': 'application/x-www-form-urlencoded' },
    'token',
  );
  const { c_nonce } = (await post(`${node}/oid4vci/nonce`, '', {}, 'nonce')) as { c_nonce: string };
  const { privateKey } = generateKeyPairSync('ed25519');
  const proof = await signCompact(
    { typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(privateKey) },
    { aud: credentialIssuer, iat: Math.floor(Date.now() / 1000), nonce: c_nonce },
    keyObjectSigner(privateKey),
  );
  const answer = (await post(
    `${node}/oid4vci/credential`,
    JSON.stringify({ credential_configuration_id: offer.credential_configuration_ids[0], proofs: { jwt: [proof] } }),
    { authorization: `Bearer ${token.access_token as string}`, 'content-type': 'application/json' },
    'credential',
  )) as { credentials: { credential: string }[] };
  return { credential: answer.credentials[0]!.credential, holderKey: privateKey };
}

/** Runs `count` tasks with at most `concurrency` in flight; results in task order. */
export async function pooled<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/**
 * A TCP relay from a port of its own to PostgreSQL: a node pointed at it loses its database when
 * the relay is cut (every connection dropped, new ones refused), and finds it again when the
 * relay listens again on the same port. The server itself keeps running for everyone else.
 */
export class PgRelay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(PG_PORT, PG_HOST);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, PG_HOST, () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Refuses new connections and drops the open ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  urlFor(database: string): string {
    return `postgres://postgres@${PG_HOST}:${this.port}/${database}`;
  }
}
