import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertDcqlQuery, InvalidInputError } from '../../core/index.js';
import { isDnsName } from '../../core/oid4vp/client-id.js';
import type { CaseResult, Observation, RunReport } from '../runner/result.js';
import { runCommand } from '../runner/run-command.js';
import { checkTemplate, fill, shellQuote } from '../runner/template.js';
import { requestPath, WALLET_CASES, type CaseContext, type WalletCase } from './cases.js';
import { createVerifierIdentities } from './identity.js';
import { startHostileVerifier, type CaseLog, type HostileVerifier } from './server.js';
import { vpTokenProblem } from './vp-token.js';

/** The placeholders of a `conformance wallet --cmd` template. */
export const WALLET_PLACEHOLDERS = {
  uri: 'the openid4vp:// URI of the case (client_id and request_uri)',
  request_uri: "the case's request_uri",
  client_id: 'the client_id the URI names',
  trust_root: 'path of a PEM file: the CA that certifies the verifier (trust it for this answer)',
  case: 'the case name',
} as const;

/**
 * The control's default query: one claim of netcred's resident identity credential. Another
 * wallet gets a query for a credential it holds with `dcql`.
 */
export const DEFAULT_DCQL = {
  credentials: [
    {
      id: 'identity',
      format: 'dc+sd-jwt',
      meta: { vct_values: ['urn:netcred:vct:resident-identity:1', 'urn:netcred:vct:resident-identity:1/lite'] },
      claims: [{ path: ['given_name'] }],
    },
  ],
};

/** How the tester takes part when there is no command: each URI shown, then a wait for the wallet. */
export type Interactive = {
  /** Shows the case and its URI (text, QR code). */
  announce(c: WalletCase, uri: string, index: number, total: number): Promise<void> | void;
  /** Resolves when the tester says the wallet is done with this case (e.g. Enter). */
  next(): Promise<void>;
};

export type WalletCheckOptions = {
  /** A command template answering one URI ({uri}, {trust_root}...); without it, `interactive`. */
  cmd?: string;
  interactive?: Interactive;
  /** Host to listen on (default 127.0.0.1) and port (default 0: a free one). */
  listen?: string;
  port?: number;
  /** Base URL the wallet reaches the server at; its host is the verifier's certified DNS name (default http://localhost:PORT). */
  publicUrl?: string;
  /** Base URL of the same server under another host name (the other-host case; default http://127.0.0.1:PORT). */
  otherUrl?: string;
  /** Per case: the command's run, or the wait for the wallet (default 60 s). */
  timeoutMs?: number;
  /** The control's DCQL query (default DEFAULT_DCQL); every case asks for the same. */
  dcql?: Record<string, unknown>;
  /** Only these cases (the control always runs). */
  only?: readonly string[];
  /** Reads the wallet's error code from its output (first capture group). */
  codeRegex?: RegExp;
  /** Also write the trust root PEM here (a wallet on a phone must be given it before the run). */
  trustRootOut?: string;
  name?: string;
  onResult?: (r: CaseResult) => void;
};

/** An UPPER_SNAKE error code anywhere in the output (netcred's `error CODE: ...`, most libraries' codes). */
export const DEFAULT_CODE_REGEX = /\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/;

function casesToRun(only: readonly string[] | undefined): WalletCase[] {
  if (!only || only.length === 0) return [...WALLET_CASES];
  const names = new Set(WALLET_CASES.map((c) => c.name));
  const unknown = only.filter((n) => !names.has(n));
  if (unknown.length > 0) throw new InvalidInputError(`unknown case ${unknown.join(', ')} (cases: ${[...names].join(', ')})`);
  return WALLET_CASES.filter((c) => c.group === 'control' || only.includes(c.name));
}

function bases(options: WalletCheckOptions, port: number, listen: string): { base: string; otherBase: string } {
  const hostOf = (h: string) => (isIP(h) === 6 ? `[${h}]` : h);
  const loopbackListen = listen === '127.0.0.1' || listen === '::1' || listen === 'localhost';
  const base = (options.publicUrl ?? `http://${loopbackListen ? 'localhost' : hostOf(listen)}:${port}`).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new InvalidInputError(`--public-url is not a URL: ${base}`);
  }
  if (!isDnsName(url.hostname))
    throw new InvalidInputError(
      `the verifier's host ${url.hostname} is not a DNS name, which x509_san_dns needs: give --public-url with a host name (http://localhost:${port} on this machine)`,
    );
  const reachable = listen === '0.0.0.0' || listen === '::' || !isIP(listen) ? '127.0.0.1' : listen;
  const otherBase = (options.otherUrl ?? `http://${hostOf(reachable)}:${port}`).replace(/\/+$/, '');
  return { base, otherBase };
}

/** A POST that is an answer: anything but an OAuth error response (section 8.5) without a vp_token. */
const isAnswer = (p: CaseLog['posts'][number]) =>
  p.tooLarge || p.fields.vp_token !== undefined || p.fields.response !== undefined || p.fields.error === undefined;

/** How an interactive case ended: after `ms`, by the tester's word or the timeout. */
type Waited = { ms: number; skipped: boolean };

/** A value the wallet chose, fit for a one-line report. */
const clip = (v: string): string => v.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 80);

function describe(log: CaseLog, ran: Observation | undefined, waited: Waited): string {
  const fetched = log.fetches === 0 ? 'did not fetch the request_uri' : `fetched the request_uri${log.fetches > 1 ? ` ${log.fetches} times` : ''}`;
  const answers = log.posts.filter(isAnswer);
  const errors = log.posts.filter((p) => !isAnswer(p));
  const posted =
    answers.length > 0
      ? `posted ${answers[0]!.tooLarge ? `${answers[0]!.bytes}+ bytes` : clip(Object.keys(answers[0]!.fields).join('+')) || 'an empty body'} to ${answers[0]!.path}`
      : errors.length > 0
        ? `posted only error=${clip(errors[0]!.fields.error!)} to ${errors[0]!.path}`
        : 'posted nothing';
  const seconds = Math.round(waited.ms / 1000);
  const said = ran
    ? `${ran.status !== undefined ? `exit ${ran.status}: ` : ''}${ran.said}`
    : waited.skipped
      ? `the tester moved on after ${seconds} s`
      : `nothing more in ${seconds} s`;
  return `${fetched}, ${posted}; ${said}`;
}

function judge(
  c: WalletCase,
  log: CaseLog,
  ran: Observation | undefined,
  waited: Waited,
  control: { nonce: string; clientId: string; state: string; queryIds: string[] },
): CaseResult {
  const answer = log.posts.find(isAnswer);
  const said = describe(log, ran, waited);
  const verdict: CaseResult['verdict'] = answer ? 'accept' : ran?.verdict === 'error' ? 'error' : 'reject';
  const base = {
    name: c.name,
    group: c.group,
    title: c.title,
    expect: c.expect,
    expectedCode: c.expectedCode,
    section: c.section,
    rationale: c.rationale,
    verdict,
    said,
    ...(ran?.code !== undefined ? { code: ran.code } : {}),
    ...(ran?.status !== undefined ? { status: ran.status } : {}),
  };
  let failure: string | undefined;
  if (c.expect === 'accept') {
    const problem = answer ? (answer.tooLarge ? 'the answer passed the size bound' : vpTokenProblem(answer.fields, control)) : undefined;
    if (!answer)
      failure = `did not answer a valid request (${c.section}): check the wallet holds a credential for the query (--dcql) and trusts {trust_root}; the other results mean little until this passes`;
    else if (problem) failure = `answered, but ${problem}`;
  } else if (answer) failure = `answered what ${c.section} says to refuse: ${c.rationale}`;
  else if (verdict === 'error') failure = `no refusal either (${ran?.said}): a wallet that hangs or crashes on this request is not safe from it either`;
  return { ...base, pass: failure === undefined, ...(failure ? { failure } : {}) };
}

async function waitForAnswer(server: HostileVerifier, name: string, timeoutMs: number, next: Promise<void>): Promise<Waited> {
  const start = Date.now();
  let skipped = false;
  void next.then(() => (skipped = true));
  while (!skipped && Date.now() - start < timeoutMs && !server.log(name).posts.some(isAnswer)) {
    await Promise.race([server.nextEvent(Math.min(1000, timeoutMs - (Date.now() - start))), next]);
  }
  return { ms: Date.now() - start, skipped };
}

/**
 * Plays a hostile OpenID4VP verifier against a wallet: for each case a request object served by
 * reference from its own server (x509_san_dns, signed by a leaf under a CA the wallet is told to
 * trust), the wallet run on its URI (`cmd`) or shown the URI (`interactive`), then what the
 * wallet did: fetched the request or not, posted to a response endpoint or not, what it said.
 * A hostile case passes when nothing but an error reaches the verifier; the control when a
 * well-formed vp_token does.
 */
export async function checkWallet(options: WalletCheckOptions): Promise<RunReport> {
  if ((options.cmd === undefined) === (options.interactive === undefined)) throw new InvalidInputError('give exactly one of --cmd TEMPLATE and --interactive');
  if (options.cmd !== undefined) checkTemplate(options.cmd, '--cmd', WALLET_PLACEHOLDERS);
  const dcql = options.dcql ?? DEFAULT_DCQL;
  try {
    assertDcqlQuery(dcql, { asAuthor: false });
  } catch (cause) {
    throw new InvalidInputError(`--dcql: ${(cause as Error).message}`, undefined, cause);
  }
  const queryIds = (dcql.credentials as { id: string }[]).map((q) => q.id);
  const cases = casesToRun(options.only);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const listen = options.listen ?? '127.0.0.1';
  const server = await startHostileVerifier(listen, options.port ?? 0);
  const work = mkdtempSync(path.join(tmpdir(), 'netcred-conformance-wallet-'));
  try {
    const { base, otherBase } = bases(options, server.port, listen);
    const ids = await createVerifierIdentities(new URL(base).hostname);
    const trustRoot = path.join(work, 'trust-root.pem');
    writeFileSync(trustRoot, ids.caPem);
    if (options.trustRootOut) writeFileSync(options.trustRootOut, ids.caPem);
    const results: CaseResult[] = [];
    for (const [i, c] of cases.entries()) {
      const ctx: CaseContext = {
        base,
        otherBase,
        ids,
        dcql,
        nonce: randomBytes(16).toString('base64url'),
        state: randomBytes(16).toString('base64url'),
        nowSeconds: Math.floor(Date.now() / 1000),
      };
      const built = c.build(ctx, c.name);
      server.serve(c.name, built);
      const requestUri = `${base}${requestPath(c.name)}`;
      const uri = `openid4vp://?${new URLSearchParams({ client_id: built.clientId, request_uri: requestUri })}`;
      let ran: Observation | undefined;
      let waited: Waited = { ms: 0, skipped: false };
      if (options.cmd !== undefined) {
        const values = { uri, request_uri: requestUri, client_id: built.clientId, trust_root: trustRoot, case: c.name };
        ran = await runCommand(fill(options.cmd, values, shellQuote), {
          acceptExit: [0],
          timeoutMs,
          codeRegex: options.codeRegex ?? DEFAULT_CODE_REGEX,
        });
      } else {
        await options.interactive!.announce(c, uri, i, cases.length);
        waited = await waitForAnswer(server, c.name, timeoutMs, options.interactive!.next());
      }
      const result = judge(c, server.log(c.name), ran, waited, { nonce: ctx.nonce, clientId: `x509_san_dns:${ids.dnsName}`, state: ctx.state, queryIds });
      results.push(result);
      options.onResult?.(result);
    }
    const passed = results.filter((r) => r.pass).length;
    return {
      implementation: options.name ?? (options.cmd ? options.cmd.split(/\s+/).slice(0, 3).join(' ') : 'wallet'),
      suite: { dir: base, alg: 'ES256', format: 'openid4vp 1.0, x509_san_dns, request_uri, direct_post', seed: '-', now: new Date().toISOString() },
      total: results.length,
      passed,
      failed: results.length - passed,
      results,
    };
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}
