import type { Command } from 'commander';
import { assertJsonDepth, InvalidInputError, NetcredError } from '../../core/index.js';
import { readVerifierAdminToken, requestQrTerminal, VERIFIER_ADMIN_TOKEN_ENV } from '../../verifier/index.js';
import { dataDirOf, printJson } from '../context.js';
import { readInput } from '../read-input.js';
import { EXIT } from '../run.js';

export type VerifierRequestOpts = {
  profile?: string;
  dcql?: string;
  url: string;
  token?: string;
  clientIdPrefix?: string;
  responseMode?: string;
  byValue?: boolean;
  qr: boolean;
  wait?: string | boolean;
  json?: boolean;
};

const PREFIXES = ['redirect_uri', 'decentralized_identifier', 'x509_san_dns', 'x509_hash'];

const MAX_ANSWER = 64 * 1024;
const MAX_DCQL_FILE = 64 * 1024;

async function call(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new NetcredError('VERIFIER_UNREACHABLE', `cannot reach the verifier at ${url}: ${(cause as Error).message}`, { cause });
  }
  const text = await res.text();
  if (text.length > MAX_ANSWER) throw new NetcredError('VERIFIER_ANSWER_INVALID', `the verifier answer is larger than ${MAX_ANSWER} bytes`);
  let body: unknown;
  assertJsonDepth(text, "the verifier's answer");
  try {
    body = JSON.parse(text);
  } catch {
    throw new NetcredError('VERIFIER_ANSWER_INVALID', `the verifier answered ${res.status} with a non-JSON body`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new NetcredError('VERIFIER_ANSWER_INVALID', 'the verifier answer is not a JSON object');
  return { status: res.status, body: body as Record<string, unknown> };
}

/** The verifier's own code for a profile it cannot resolve: the operator's --profile, said as the verifier said it. */
const PROFILE_CODES: readonly string[] = ['PROFILE_UNKNOWN', 'PROFILE_AMBIGUOUS'];

function refused(status: number, body: Record<string, unknown>): NetcredError {
  if (status === 400 && typeof body.code === 'string' && PROFILE_CODES.includes(body.code))
    return new NetcredError(body.code as 'PROFILE_UNKNOWN' | 'PROFILE_AMBIGUOUS', `the verifier answered: ${String(body.error_description ?? '')}`, {
      details: [{ path: 'profile', message: body.code }],
    });
  const code = status === 401 || status === 403 ? 'VERIFIER_UNAUTHORIZED' : 'VERIFIER_REFUSED';
  return new NetcredError(
    code,
    `the verifier answered ${status}: ${String(body.error ?? '')}${body.error_description ? `: ${String(body.error_description)}` : ''}`,
  );
}

/** --dcql FILE: the query as JSON; the verifier checks it is DCQL it can send (400 naming the rule otherwise). */
async function readDcql(file: string): Promise<unknown> {
  const text = await readInput(file, MAX_DCQL_FILE, 'the --dcql query');
  assertJsonDepth(text, 'the --dcql query');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`--dcql ${file} is not JSON: ${(cause as Error).message}`, [{ path: 'dcql', message: 'not JSON' }], cause);
  }
}

function baseUrlOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(`--url is not a URL: ${value}`, [{ path: 'url', message: 'not a URL' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInputError('--url must be http(s)', [{ path: 'url', message: 'not http(s)' }]);
  return url.href.replace(/\/+$/, '');
}

export async function runVerifierRequest(opts: VerifierRequestOpts, cmd: Command): Promise<void> {
  // A name other than lite and upgraded is a registered type's profile: the verifier resolves it from its trust bundle.
  if ((opts.profile === undefined) === (opts.dcql === undefined))
    throw new InvalidInputError('give exactly one of --profile NAME or --dcql FILE', [{ path: 'profile', message: 'exactly one of --profile, --dcql' }]);
  const dcql = opts.dcql === undefined ? undefined : await readDcql(opts.dcql);
  const prefix = opts.clientIdPrefix;
  if (prefix !== undefined && !PREFIXES.includes(prefix)) {
    throw new InvalidInputError(`--client-id-prefix must be one of ${PREFIXES.join(', ')}`, [{ path: 'client-id-prefix', message: prefix }]);
  }
  const mode = opts.responseMode;
  if (mode !== undefined && mode !== 'direct_post' && mode !== 'direct_post.jwt')
    throw new InvalidInputError('--response-mode must be direct_post or direct_post.jwt', [{ path: 'response-mode', message: mode }]);
  const waitSeconds = opts.wait === undefined ? undefined : opts.wait === true ? Infinity : Number(opts.wait);
  if (waitSeconds !== undefined && !(waitSeconds > 0))
    throw new InvalidInputError('--wait takes a positive number of seconds', [{ path: 'wait', message: String(opts.wait) }]);
  const base = baseUrlOf(opts.url);
  const token = opts.token ?? readVerifierAdminToken(dataDirOf(cmd));
  if (!token)
    throw new InvalidInputError(`an admin token is required: --token, $${VERIFIER_ADMIN_TOKEN_ENV}, or the data dir of the running verifier`, [
      { path: 'token', message: 'missing' },
    ]);
  const auth = { authorization: `Bearer ${token}` };

  const created = await call(`${base}/oid4vp/requests`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      ...(dcql !== undefined ? { dcql_query: dcql } : { profile: opts.profile }),
      ...(prefix ? { client_id_prefix: prefix } : {}),
      ...(mode ? { response_mode: mode } : {}),
    }),
  });
  if (created.status !== 201) throw refused(created.status, created.body);
  const req = created.body as Record<string, string>;
  if (opts.byValue && !req.uri_by_value)
    throw new InvalidInputError('--by-value needs a redirect_uri request', [{ path: 'by-value', message: 'signed requests go by reference' }]);
  const uri = opts.byValue ? req.uri_by_value! : req.uri!;

  if (opts.json && waitSeconds === undefined) return printJson({ ...req, uri });
  if (!opts.json) {
    if (opts.qr) process.stdout.write(await requestQrTerminal(uri));
    process.stdout.write(`${uri}\n`);
    process.stderr.write(`request ${req.id} (${opts.profile ?? `DCQL of ${opts.dcql}`}, ${req.client_id}), expires ${req.expires_at}\n`);
    process.stderr.write(`verdict: ${req.verdict_uri}\n`);
  }
  if (waitSeconds === undefined) return;

  const until = Math.min(Date.parse(req.expires_at!) + 2000, Date.now() + waitSeconds * 1000);
  let verdict: Record<string, unknown> = { status: 'pending' };
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    const v = await call(req.verdict_uri!, { headers: { ...auth, accept: 'application/json' } });
    if (v.status !== 200) throw refused(v.status, v.body);
    verdict = v.body;
    if (verdict.status !== 'pending') break;
  }
  if (opts.json) printJson({ request: { ...req, uri }, verdict });
  else if (verdict.status === 'valid') {
    const creds = (verdict.credentials ?? []) as { issuer?: string; claims?: Record<string, unknown> }[];
    process.stdout.write('verdict: valid\n');
    for (const c of creds)
      process.stdout.write(
        `  issuer ${c.issuer}\n${Object.entries(c.claims ?? {})
          .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
          .join('\n')}\n`,
      );
  } else
    process.stdout.write(
      `verdict: ${String(verdict.status)}${verdict.code ? ` ${String(verdict.code)}` : ''}${verdict.message ? `: ${String(verdict.message)}` : ''}\n`,
    );
  if (verdict.status !== 'valid') process.exitCode = EXIT.REJECTED;
}
