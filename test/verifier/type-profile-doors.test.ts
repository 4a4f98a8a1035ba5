// A registered type's profile by name on the verifier's other front doors: POST /verify takes it
// as `verify --profile` does, and an OpenID4VP request (`netcred verifier request --profile
// borrow`, POST /oid4vp/requests) sends its DCQL from the trust bundle, refusing a name whose
// issuers define it differently (PROFILE_AMBIGUOUS) and an answer from a trusted issuer whose type
// does not define it. Real issuers, a real `netcred verifier serve` process per bundle, real CLI
// wallets answering with `netcred wallet respond` (the library card of docs/examples/library-card).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const EXAMPLE = path.join(repoRoot, 'docs/examples/library-card');
const CLAIMS = path.join(EXAMPLE, 'claims.json');
const VCT = 'https://library.example/vct/library-card/1';
const BORROW = JSON.parse(readFileSync(path.join(EXAMPLE, 'profiles/borrow.dcql.json'), 'utf8')) as {
  credentials: { claims: { path: string[] }[] }[];
};
const ADMIN = 'type-profile-doors-admin-0123456789';
const tmp = tempDir('netcred-type-profile-doors-');
const pin = 'library-card-pin-7';
const walletEnv = (name: string) => ({ NETCRED_PIN: pin, NETCRED_HOME: path.join(tmp.dir, name), NETCRED_KIOSK_ID: '' });
// `own`: a card of the issuer defining borrow; `other`: a card of the same type from an issuer that defines no profile.
const own = walletEnv('own');
const other = walletEnv('other');
const cliEnv = { NETCRED_VERIFIER_ADMIN_TOKEN: ADMIN };

type Verifier = { url: string; proc: ChildProcess; exited: Promise<void> };
type Json = Record<string, unknown>;

let definer: TestIssuer; // its library card defines borrow (card_number, valid_until)
let lenient: TestIssuer; // its library card defines borrow differently (card_number only)
let silent: TestIssuer; // its library card defines no profile
let trusting: Verifier; // trusts definer and silent: borrow is unambiguous
let ambiguous: Verifier; // trusts definer and lenient: borrow is ambiguous
let presentation: string; // definer's card, presented for borrow
let partial: string; // the same card with valid_until withheld

/** A copy of the example type with its profiles replaced (none when `borrow` is undefined). */
function typeDir(name: string, borrow?: unknown): string {
  const dir = path.join(tmp.dir, name);
  cpSync(EXAMPLE, dir, { recursive: true });
  if (borrow === undefined) rmSync(path.join(dir, 'profiles'), { recursive: true });
  else writeFileSync(path.join(dir, 'profiles/borrow.dcql.json'), JSON.stringify(borrow));
  return dir;
}

const ok = async (p: Promise<{ code: number; stdout: string; stderr: string }>) => {
  const r = await p;
  expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
  return r.stdout;
};

async function serveVerifier(bundle: string, data: string): Promise<Verifier> {
  const proc = spawn(process.execPath, [...cliNodeArgs(), '--data', data, 'verifier', 'serve', '--bundle', bundle, '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, ...cliEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d) => (err += d));
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /verifier listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`verifier serve exited ${code}: ${err}`)));
  });
  return { url, proc, exited };
}

async function stop(v: Verifier | undefined): Promise<void> {
  if (!v) return;
  v.proc.kill('SIGTERM');
  await v.exited;
}

const postVerify = async (url: string, body: Json) => {
  const res = await fetch(`${url}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
};

const request = (url: string, args: string[]) => runCli(['verifier', 'request', '--url', url, '--no-qr', '--json', ...args], { env: cliEnv });

const verdictOf = async (created: Json): Promise<Json> =>
  (await (await fetch(String(created.verdict_uri), { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as Json;

beforeAll(async () => {
  [definer, lenient, silent] = await Promise.all([
    startTestIssuer({ secret: undefined }),
    startTestIssuer({ secret: undefined }),
    startTestIssuer({ secret: undefined }),
  ]);
  const lenientBorrow = structuredClone(BORROW);
  lenientBorrow.credentials[0]!.claims = [{ path: ['card_number'] }];
  const typeAdd = (issuer: TestIssuer, dir: string) => ok(runCli(['--data', issuer.dataDir, 'issuer', 'type', 'add', dir], { env: own }));
  const [, , , , otherHolder] = await Promise.all([
    typeAdd(definer, EXAMPLE),
    typeAdd(lenient, typeDir('lenient-type', lenientBorrow)),
    typeAdd(silent, typeDir('silent-type')),
    ok(runCli(['wallet', 'init'], { env: own })),
    ok(runCli(['wallet', 'init'], { env: other })),
  ]);

  // The holders' cards: definer's over OpenID4VCI (the wallet learns borrow), silent's by file.
  const offer = JSON.parse(await ok(runCli(['--data', definer.dataDir, 'issuer', 'offer', '--type', VCT, '--claims', CLAIMS, '--json'], { env: own }))) as {
    offer: string;
  };
  const issued = JSON.parse(
    await ok(runCli(['--data', silent.dataDir, 'issuer', 'issue', '--type', VCT, '--holder', otherHolder.trim(), '--claims', CLAIMS, '--json'], { env: own })),
  ) as { credential: string };
  await Promise.all([
    ok(runCli(['wallet', 'accept', offer.offer, '--json'], { env: own })),
    ok(runCli(['wallet', 'import', '-', '--json'], { env: other, input: issued.credential })),
  ]);

  // Two bundles, each synced from two real issuers of the library card, and a verifier serving each.
  const sync = async (bundle: string, ...issuers: TestIssuer[]) => {
    for (const i of issuers) await ok(runCli(['verifier', 'sync', '--issuer', i.url, '--bundle', bundle]));
  };
  const trustingBundle = path.join(tmp.dir, 'trusting.json');
  const ambiguousBundle = path.join(tmp.dir, 'ambiguous.json');
  await Promise.all([sync(trustingBundle, definer, silent), sync(ambiguousBundle, definer, lenient)]);
  [trusting, ambiguous] = await Promise.all([
    serveVerifier(trustingBundle, path.join(tmp.dir, 'verifier-trusting')),
    serveVerifier(ambiguousBundle, path.join(tmp.dir, 'verifier-ambiguous')),
  ]);

  const [full, withheld] = await Promise.all([
    ok(runCli(['wallet', 'present', '--profile', 'borrow', '--yes', '--json'], { env: own })),
    ok(runCli(['wallet', 'present', '--disclose', 'card_number', '--yes', '--json'], { env: own })),
  ]);
  presentation = (JSON.parse(full) as { presentation: string }).presentation;
  partial = (JSON.parse(withheld) as { presentation: string }).presentation;
}, 300_000);

afterAll(async () => {
  await Promise.all([stop(trusting), stop(ambiguous)]);
  await Promise.all([definer?.close(), lenient?.close(), silent?.close()]);
  tmp.cleanup();
});

describe('POST /verify with a registered type profile by name (the verifier app, a real process)', () => {
  it('an unknown name is a 400 PROFILE_UNKNOWN listing the names the bundle knows; a non-string profile a plain 400', async () => {
    const unknown = await postVerify(trusting.url, { presentation, profile: 'lend' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'invalid_request', code: 'PROFILE_UNKNOWN' });
    expect(unknown.body.error_description).toContain('(borrow)');
    expect(unknown.body.error_description).toContain('netcred verifier sync');
    const bad = await postVerify(trusting.url, { presentation, profile: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_request' });
    expect(bad.body).not.toHaveProperty('code');
  });

  it("profile borrow: valid with the profile's claims; a presentation withholding valid_until is the verdict PROFILE_NOT_SATISFIED", async () => {
    const valid = await postVerify(trusting.url, { presentation, profile: 'borrow' });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ valid: true, vct: VCT, issuer: definer.ctx.issuerDid, profile: 'borrow', claims: { card_number: 'LB123456' } });
    expect(valid.body.claims).toHaveProperty('valid_until');
    expect(valid.body.claims).not.toHaveProperty('member_name');

    const refused = await postVerify(trusting.url, { presentation: partial, profile: 'borrow' });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ valid: false, code: 'PROFILE_NOT_SATISFIED', profile: 'borrow' });
    expect(refused.body.message).toContain('valid_until');
  });
});

describe('OpenID4VP requests for a registered type profile by name (netcred verifier request, netcred wallet respond)', () => {
  it("verifier request --profile borrow sends the profile's DCQL from the bundle; the wallet answers with exactly its claims: valid", async () => {
    const created = JSON.parse(await ok(request(trusting.url, ['--profile', 'borrow']))) as Json;
    expect(created).toMatchObject({ profile: 'borrow', issuers: [definer.ctx.issuerDid] });
    // The request object the wallet fetches carries the profile's query as the issuer registered it.
    const object = await (await fetch(String(created.request_uri))).text();
    expect(JSON.parse(Buffer.from(object.split('.')[1]!, 'base64url').toString('utf8')).dcql_query).toEqual(BORROW);

    const answered = JSON.parse(await ok(runCli(['wallet', 'respond', String(created.uri), '--yes', '--json'], { env: own }))) as {
      disclosed: { claims: string[][] }[];
    };
    expect(answered.disclosed.map((d) => d.claims.map((p) => p.join('.')).sort())).toEqual([['card_number', 'valid_until']]);
    const verdict = await verdictOf(created);
    expect(verdict).toMatchObject({ status: 'valid', profile: 'borrow', credentials: [{ issuer: definer.ctx.issuerDid, vct: VCT }] });
    const claims = (verdict.credentials as { claims: Json }[])[0]!.claims;
    expect(claims).toMatchObject({ card_number: 'LB123456' });
    expect(claims).toHaveProperty('valid_until');
    expect(claims).not.toHaveProperty('member_name');
  });

  it('an issuer trusted for the vct whose type does not define the profile: its card is refused (PROFILE_NOT_SATISFIED), though the same query by --dcql accepts it', async () => {
    const created = JSON.parse(await ok(request(trusting.url, ['--profile', 'borrow']))) as Json;
    const answered = await runCli(['wallet', 'respond', String(created.uri), '--yes', '--json'], { env: other });
    expect(answered.code, answered.stderr).toBe(1);
    expect(JSON.parse(answered.stdout)).toMatchObject({
      error: { code: 'OID4VP_RESPONSE_REFUSED', details: expect.arrayContaining([{ path: 'code', message: 'PROFILE_NOT_SATISFIED' }]) },
    });
    const verdict = await verdictOf(created);
    expect(verdict).toMatchObject({ status: 'invalid', code: 'PROFILE_NOT_SATISFIED', profile: 'borrow' });
    expect(verdict.message).toContain(`issuer ${silent.ctx.issuerDid} does not define profile borrow`);

    // The control: the same query, not by name, is satisfied by that card (the issuer is trusted, the claims are there).
    const byQuery = JSON.parse(await ok(request(trusting.url, ['--dcql', path.join(EXAMPLE, 'profiles/borrow.dcql.json')]))) as Json;
    expect(byQuery).not.toHaveProperty('profile');
    await ok(runCli(['wallet', 'respond', String(byQuery.uri), '--yes', '--json'], { env: other }));
    expect(await verdictOf(byQuery)).toMatchObject({ status: 'valid', credentials: [{ issuer: silent.ctx.issuerDid, vct: VCT }] });
  });

  it('an unknown name: PROFILE_UNKNOWN (exit 2) listing the names known, and 400 from POST /oid4vp/requests', async () => {
    const r = await request(trusting.url, ['--profile', 'lend']);
    expect(r.code, r.stderr).toBe(2);
    const e = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
    expect(e.code).toBe('PROFILE_UNKNOWN');
    expect(e.message).toContain('(borrow)');
    const http = await fetch(`${trusting.url}/oid4vp/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'lend' }),
    });
    expect(http.status).toBe(400);
    expect(await http.json()).toMatchObject({ error: 'invalid_request', code: 'PROFILE_UNKNOWN' });
  });

  it('a name two issuers define differently: PROFILE_AMBIGUOUS (exit 2; 400 over HTTP) naming both and saying to give --dcql; --dcql works', async () => {
    const r = await request(ambiguous.url, ['--profile', 'borrow']);
    expect(r.code, r.stderr).toBe(2);
    const e = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
    expect(e.code).toBe('PROFILE_AMBIGUOUS');
    expect(e.message).toContain(definer.ctx.issuerDid);
    expect(e.message).toContain(lenient.ctx.issuerDid);
    expect(e.message).toContain('--dcql FILE');

    const http = await fetch(`${ambiguous.url}/oid4vp/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'borrow' }),
    });
    expect(http.status).toBe(400);
    expect(await http.json()).toMatchObject({ error: 'invalid_request', code: 'PROFILE_AMBIGUOUS' });

    const created = JSON.parse(await ok(request(ambiguous.url, ['--dcql', path.join(EXAMPLE, 'profiles/borrow.dcql.json')]))) as Json;
    await ok(runCli(['wallet', 'respond', String(created.uri), '--yes', '--json'], { env: own }));
    expect(await verdictOf(created)).toMatchObject({ status: 'valid', credentials: [{ issuer: definer.ctx.issuerDid }] });
  });
});
