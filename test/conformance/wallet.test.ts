import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WALLET_CASES, type RunReport } from '../../conformance/index.js';
import { shellQuote } from '../../conformance/runner/template.js';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { PIN, walletWithCredential, type TestWallet } from '../oid4vp/fixture.js';

/**
 * `netcred conformance wallet` against real wallets: netcred's own (`netcred wallet respond`,
 * a real CLI process per case, holding a credential of the real issuer), which must refuse every
 * hostile request and answer the valid one; and a lax "wallet" written here, which answers
 * whatever it is sent and so must fail every case.
 */

let issuer: TestIssuer;
let holder: TestWallet;
const work = tempDir('netcred-conf-wallet-');

beforeAll(async () => {
  issuer = await startTestIssuer();
  holder = await walletWithCredential(issuer);
  await holder.wallet.close(); // the CLI opens the wallet file itself
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  await holder?.close().catch(() => undefined);
  work.cleanup();
});

const netcredCli = (): string => [process.execPath, ...cliNodeArgs()].map(shellQuote).join(' ');

/** A wallet that checks nothing: fetches the request_uri and posts a dummy vp_token wherever the request says. */
const LAX_WALLET = `
const uri = new URL(process.argv[2]);
const text = await (await fetch(uri.searchParams.get('request_uri'))).text();
let request;
try { request = JSON.parse(text); } catch { request = JSON.parse(Buffer.from(text.split('.')[1], 'base64url').toString()); }
await fetch(request.response_uri, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ vp_token: JSON.stringify({ identity: ['not-a-presentation'] }), state: request.state ?? '' }),
});
console.log('answered ' + request.response_uri);
`;

describe('netcred conformance wallet', () => {
  it("netcred's wallet refuses every hostile request and answers the valid one with a well-formed vp_token", async () => {
    const json = path.join(work.dir, 'netcred.json');
    const md = path.join(work.dir, 'netcred.md');
    const cmd = `${netcredCli()} --data ${shellQuote(holder.dataDir)} wallet respond {uri} --yes --trust-root {trust_root}`;
    const r = await runCli(['conformance', 'wallet', '--cmd', cmd, '--timeout', '60', '--json', json, '--md', md, '--name', 'netcred wallet'], {
      env: { NETCRED_PIN: PIN },
      timeoutMs: 600_000,
    });
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    expect(report.results.filter((c) => !c.pass).map((c) => `${c.name}: ${c.failure} (${c.said})`)).toStrictEqual([]);
    expect(report.results.map((c) => c.name)).toStrictEqual(WALLET_CASES.map((c) => c.name));
    // The control was answered: the wallet's own words, and the POST the server saw.
    const control = report.results[0]!;
    expect(control).toMatchObject({ name: 'control-valid', verdict: 'accept', status: 0 });
    expect(control.said).toMatch(/fetched the request_uri, posted vp_token\+state to \/response\/control-valid; exit 0: disclosed given_name/);
    // Each hostile request was refused by netcred's checks with the code the case names.
    for (const c of report.results.slice(1)) {
      expect(c.verdict, c.name).toBe('reject');
      expect(c.status, c.name).toBe(2);
      expect(c.code, `${c.name}: ${c.said}`).toBe(c.expectedCode);
      expect(c.said, c.name).toMatch(/posted nothing/);
    }
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`netcred wallet: ${report.total}/${report.total} cases passed, 0 failed`);
    expect(readFileSync(md, 'utf8')).toMatch(/\*\*16\/16 passed\*\*/);
  }, 600_000);

  it('a wallet that answers anything fails every hostile case, and the report says which rule it broke', async () => {
    const script = path.join(work.dir, 'lax-wallet.mjs');
    writeFileSync(script, LAX_WALLET);
    const md = path.join(work.dir, 'lax.md');
    const json = path.join(work.dir, 'lax.json');
    const r = await runCli(
      [
        'conformance',
        'wallet',
        '--cmd',
        `${shellQuote(process.execPath)} ${shellQuote(script)} {uri}`,
        '--timeout',
        '30',
        '--md',
        md,
        '--json',
        json,
        '--name',
        'lax',
      ],
      { timeoutMs: 300_000 },
    );
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    const byName = Object.fromEntries(report.results.map((c) => [c.name, c]));
    for (const c of report.results.slice(1)) {
      expect(c.pass, c.name).toBe(false);
      expect(c.verdict, c.name).toBe('accept');
      expect(c.failure, c.name).toContain(`answered what ${c.section} says to refuse`);
    }
    // The response_uri on the other host reached the server under that name, and the wrong-signature request was answered.
    expect(byName['response-uri-other-host']!.said).toMatch(/posted vp_token\+state to \/response\/response-uri-other-host/);
    expect(byName['signature-other-key']!.said).toMatch(/^fetched the request_uri, posted vp_token/);
    // The control was answered, but not with a presentation.
    expect(byName['control-valid']).toMatchObject({ verdict: 'accept', pass: false });
    expect(byName['control-valid']!.failure).toMatch(/answered, but vp_token\.identity: an SD-JWT without a KB-JWT/);
    const text = readFileSync(md, 'utf8');
    expect(text).toMatch(/\*\*0\/16 passed\*\*, 16 failed/);
    expect(text).toMatch(/\| `response-uri-other-host` \| reject \(RESPONSE_URI_MISMATCH\) \| accept \|.*§5\.9\.3/);
    expect(r.stdout).toContain('lax: 0/16 cases passed, 16 failed');
  }, 300_000);

  it('a wallet that only posts an OAuth error response refuses (passes the hostile cases) but fails the control', async () => {
    const script = path.join(work.dir, 'error-wallet.mjs');
    writeFileSync(script, LAX_WALLET.replace("vp_token: JSON.stringify({ identity: ['not-a-presentation'] })", "error: 'invalid_request'"));
    const json = path.join(work.dir, 'error.json');
    const r = await runCli(
      ['conformance', 'wallet', '--cmd', `${shellQuote(process.execPath)} ${shellQuote(script)} {uri}`, '--only', 'nonce-missing', '--json', json],
      { timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    expect(report.results.map((c) => [c.name, c.verdict, c.pass])).toStrictEqual([
      ['control-valid', 'reject', false],
      ['nonce-missing', 'reject', true],
    ]);
    expect(report.results[1]!.said).toMatch(/^fetched the request_uri, posted only error=invalid_request to \/response\/nonce-missing; exit 0/);
    expect(report.results[0]!.failure).toMatch(/did not answer a valid request/);
  }, 120_000);

  it('--interactive shows each URI and QR code, waits for the wallet, and moves on with Enter', async () => {
    const json = path.join(work.dir, 'interactive.json');
    const root = path.join(work.dir, 'root.pem');
    const child = spawn(
      process.execPath,
      [
        ...cliNodeArgs(),
        'conformance',
        'wallet',
        '--interactive',
        '--only',
        'signature-other-key,response-uri-other-host',
        '--trust-root-out',
        root,
        '--timeout',
        '120',
        '--json',
        json,
      ],
      { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    // The tester's part: scan each URI with the wallet (here: netcred wallet respond on it), press Enter once it refused.
    let stderr = '';
    let handled = 0;
    const said: string[] = [];
    let turn = Promise.resolve();
    child.stderr.on('data', (d) => {
      stderr += d;
      const shown = [...stderr.matchAll(/^\[\d+\/3\] (\S+): .*\n(openid4vp:\/\/\S+)$/gm)];
      for (const [, name, uri] of shown.slice(handled)) {
        handled++;
        turn = turn.then(async () => {
          const r = await runCli(['--data', holder.dataDir, 'wallet', 'respond', uri!, '--yes', '--trust-root', root], { env: { NETCRED_PIN: PIN } });
          said.push(`${name} ${r.code}`);
          // The valid request's answer ends its wait by itself; after a refusal the tester says so.
          if (name !== 'control-valid') child.stdin.write('\n');
        });
      }
    });
    expect(await exited).toBe(0);
    await turn;
    expect(said).toStrictEqual(['control-valid 0', 'signature-other-key 2', 'response-uri-other-host 2']);
    expect(stderr).toMatch(/scan it with the wallet; waiting up to 120 s/);
    expect(stderr).toMatch(/▄|█/); // the terminal QR code
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    expect(report.results.map((c) => [c.name, c.verdict, c.pass])).toStrictEqual([
      ['control-valid', 'accept', true],
      ['signature-other-key', 'reject', true],
      ['response-uri-other-host', 'reject', true],
    ]);
    expect(report.results[1]!.said).toMatch(/^fetched the request_uri, posted nothing; the tester moved on after \d+ s$/);
    expect(stdout).toContain('3/3 cases passed');
  }, 300_000);

  it('usage errors exit 2: no wallet, an unknown placeholder, an unknown case, a public URL without a DNS name', async () => {
    const none = await runCli(['conformance', 'wallet']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--cmd TEMPLATE and --interactive/);
    const typo = await runCli(['conformance', 'wallet', '--cmd', 'wallet {url}']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown placeholder \{url\}/);
    const only = await runCli(['conformance', 'wallet', '--cmd', 'true', '--only', 'no-such-case']);
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(/unknown case no-such-case/);
    const ip = await runCli(['conformance', 'wallet', '--cmd', 'true', '--public-url', 'http://127.0.0.1:1234']);
    expect(ip.code).toBe(2);
    expect(ip.stderr).toMatch(/not a DNS name/);
  }, 120_000);
});
