import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../core/index.js';
import type { Observation } from './result.js';
import { checkTemplate, fill, type Placeholder } from './template.js';

/**
 * How to ask an HTTP verifier about a case and read its answer (`--mapping FILE`). Strings in
 * `path`, `headers` and `body` may hold placeholders ({presentation_text}, {nonce}, ...).
 */
export type HttpMapping = {
  method?: string;
  /** Appended to --url. */
  path?: string;
  headers?: Record<string, string>;
  /** A JSON body (placeholders in its strings) or a text body. */
  body?: unknown;
  verdict?: {
    /** Statuses whose body holds a verdict (default [200]); any other 4xx is a rejection, 5xx and network errors no verdict. */
    verdictStatus?: number[];
    /** JSON pointer (RFC 6901) to the verdict value (default /valid). */
    pointer?: string;
    /** The value that means accepted (default true). */
    acceptValue?: unknown;
    /** JSON pointer to an error code (default /code). */
    codePointer?: string;
  };
};

/** netcred's own POST /verify (verifier/http/app.ts). */
export const NETCRED_MAPPING: HttpMapping = {
  method: 'POST',
  path: '/verify',
  headers: { 'content-type': 'application/json' },
  body: { presentation: '{presentation_text}', nonce: '{nonce}', aud: '{aud}' },
  verdict: { verdictStatus: [200], pointer: '/valid', acceptValue: true, codePointer: '/code' },
};

export function readMapping(file: string | undefined): HttpMapping {
  if (file === undefined) return NETCRED_MAPPING;
  let mapping: unknown;
  try {
    mapping = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new InvalidInputError(`cannot read the mapping ${file} as JSON`, undefined, cause);
  }
  if (mapping === null || typeof mapping !== 'object' || Array.isArray(mapping)) throw new InvalidInputError(`the mapping ${file} must be a JSON object`);
  checkTemplate(JSON.stringify(mapping), `mapping ${file}`);
  return mapping as HttpMapping;
}

function pointer(doc: unknown, ptr: string): unknown {
  if (ptr === '') return doc;
  let at: unknown = doc;
  for (const raw of ptr.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function fillDeep(v: unknown, values: Record<Placeholder, string>): unknown {
  if (typeof v === 'string') return fill(v, values);
  if (Array.isArray(v)) return v.map((x) => fillDeep(x, values));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillDeep(x, values)]));
  return v;
}

const oneLine = (s: string): string => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
};

/** Sends one case as the mapping says and reads the verdict. */
export async function runHttp(url: string, mapping: HttpMapping, values: Record<Placeholder, string>, timeoutMs: number): Promise<Observation> {
  const target = `${url.replace(/\/$/, '')}${fill(mapping.path ?? '', values)}`;
  const headers = Object.fromEntries(Object.entries(mapping.headers ?? {}).map(([k, v]) => [k, fill(v, values)]));
  const body =
    mapping.body === undefined ? undefined : typeof mapping.body === 'string' ? fill(mapping.body, values) : JSON.stringify(fillDeep(mapping.body, values));
  let res: Response;
  let text: string;
  try {
    res = await fetch(target, { method: mapping.method ?? 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (err) {
    return { verdict: 'error', said: `no answer: ${(err as Error).message}` };
  }
  const rules = mapping.verdict ?? {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const code = pointer(json, rules.codePointer ?? '/code');
  const withCode = typeof code === 'string' ? { code } : {};
  if ((rules.verdictStatus ?? [200]).includes(res.status)) {
    if (json === undefined) return { verdict: 'error', said: `HTTP ${res.status}, not JSON: ${oneLine(text)}`, status: res.status };
    const accepted = JSON.stringify(pointer(json, rules.pointer ?? '/valid')) === JSON.stringify(rules.acceptValue ?? true);
    return { verdict: accepted ? 'accept' : 'reject', said: `HTTP ${res.status} ${oneLine(text)}`, status: res.status, ...withCode };
  }
  if (res.status >= 400 && res.status < 500) return { verdict: 'reject', said: `HTTP ${res.status} ${oneLine(text)}`, status: res.status, ...withCode };
  return { verdict: 'error', said: `HTTP ${res.status} ${oneLine(text)}`, status: res.status, ...withCode };
}
