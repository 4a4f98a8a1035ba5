import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError, NetcredError } from '../../core/errors.js';
import type { IssuerContext } from '../context.js';
import { aggregationUri, bitstringCredentialUri } from './list-uris.js';
import { statusPublisher, type BitstringPurpose, type Published } from './publish.js';
import { allLists } from './store.js';
import { runExclusive } from '../store/write-lock.js';

/** The content type of each published status file: token, W3C bitstring list credential, aggregation. */
export const STATUS_CONTENT_TYPES = {
  token: 'application/statuslist+jwt',
  bitstring: 'application/vc+jwt',
  aggregation: 'application/json',
} as const;

/** One published file: the URL it answers, where it lies under the output dir, its headers. */
export type PublishedStatusFile = {
  /** The absolute URL credentials reference. */
  url: string;
  /** The path part of `url`: what the CDN must answer. */
  urlPath: string;
  /** The file, relative to the output dir (`/`-separated); differs from urlPath for bitstring credentials. */
  file: string;
  contentType: string;
  /** Seconds a client or CDN may cache it (the list's ttl, never past its exp). */
  maxAge: number;
  cacheControl: string;
  /** The signed artifact's exp (seconds), absent for the aggregation. */
  exp?: number;
};

/** The manifest of a published status directory: the issuer, when it was published, when to republish, each file. */
export type StatusDirManifest = {
  issuer: string;
  publishedAt: string;
  /** Re-publish before this (the earliest exp, minus the refresh margin): ISO time. */
  republishBefore: string | null;
  files: PublishedStatusFile[];
};

/** The name of the manifest publishStatusDir writes beside the status files. */
export const STATUS_DIR_MANIFEST = 'manifest.json';

/** A URL path safe to mirror on disk: plain segments only (no '.', '..', encoded separators). */
function segmentsOf(url: string): string[] {
  const segments = new URL(url).pathname.split('/').filter((s) => s.length > 0);
  if (segments.length === 0 || segments.some((s) => s === '.' || s === '..' || !/^[A-Za-z0-9._~-]+$/.test(s))) {
    throw new NetcredError('STATUS_PUBLISH_FAILED', `cannot mirror the URL ${url} as a file path`);
  }
  return segments;
}

/** Writes `body` to dir/rel through a temp file in the same folder and a rename: a reader sees the old or the new file, never half of one. */
function writeAtomic(dir: string, rel: string, body: string): void {
  const target = path.join(dir, ...rel.split('/'));
  if (!target.startsWith(dir + path.sep)) throw new NetcredError('STATUS_PUBLISH_FAILED', `refusing to write outside ${dir}: ${rel}`);
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, body, { mode: 0o644 });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

function maxAgeOf(p: Published, now: number): number {
  return Math.max(0, Math.min(p.ttl, p.exp - now));
}

/** Netlify / Cloudflare Pages `_headers`: the content type and caching of each URL path. */
function headersFile(files: PublishedStatusFile[]): string {
  return files.map((f) => `${f.urlPath}\n  Content-Type: ${f.contentType}\n  Cache-Control: ${f.cacheControl}\n`).join('\n');
}

/** Netlify / Cloudflare Pages `_redirects`: 200 rewrites of the URL paths whose file lies elsewhere. */
function redirectsFile(files: PublishedStatusFile[]): string {
  return files
    .filter((f) => f.urlPath !== `/${f.file}`)
    .map((f) => `${f.urlPath} /${f.file} 200\n`)
    .join('');
}

/**
 * Writes every status list token, every W3C list credential and the aggregation of the issuer
 * under `outDir`, signed by the issuer's StatusPublisher (the same code `issuer serve` answers
 * with). A token lies at its URL path (DIR/status/lists/1); its bitstring credentials, whose
 * URLs continue that path (/status/lists/1/bitstring/revocation) and so cannot sit below a
 * file, lie at DIR/status/lists/1.bitstring/revocation. manifest.json maps every URL path to its
 * file, content type and max-age; _headers and _redirects say the same to hosts that read them.
 * The manifest is written last, so a sync that follows it only sees complete files.
 */
export async function publishStatusDir(ctx: IssuerContext, outDir: string): Promise<StatusDirManifest> {
  const dir = path.resolve(outDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new InvalidInputError(
      `cannot create the output directory ${dir}: ${err instanceof Error ? err.message : String(err)}`,
      [{ path: 'out', message: 'not writable' }],
      err,
    );
  }
  const publisher = statusPublisher(ctx);
  const now = Math.floor(Date.now() / 1000);
  const files: PublishedStatusFile[] = [];
  const add = (url: string, file: string, contentType: string, body: string, maxAge: number, exp?: number) => {
    writeAtomic(dir, file, body);
    files.push({ url, urlPath: new URL(url).pathname, file, contentType, maxAge, cacheControl: `public, max-age=${maxAge}`, exp });
  };

  const lists = await runExclusive(ctx.dataSource, () => allLists(ctx.dataSource.manager));
  for (const row of lists) {
    const tokenFile = segmentsOf(row.uri).join('/');
    const token = await publisher.token(row.id);
    if (!token) throw new NetcredError('STATUS_PUBLISH_FAILED', `status list ${row.id} vanished while publishing`);
    add(row.uri, tokenFile, STATUS_CONTENT_TYPES.token, token.body, maxAgeOf(token, now), token.exp);
    for (const purpose of ['revocation', 'suspension'] as const satisfies readonly BitstringPurpose[]) {
      const url = bitstringCredentialUri(row.uri, purpose);
      segmentsOf(url);
      const credential = await publisher.bitstringCredential(row.id, purpose);
      if (!credential) throw new NetcredError('STATUS_PUBLISH_FAILED', `status list ${row.id} vanished while publishing`);
      add(url, `${tokenFile}.bitstring/${purpose}`, STATUS_CONTENT_TYPES.bitstring, credential.body, maxAgeOf(credential, now), credential.exp);
    }
  }
  // The bytes `GET /status/aggregation` answers (express's res.json is JSON.stringify).
  const aggUrl = aggregationUri(ctx);
  add(aggUrl, segmentsOf(aggUrl).join('/'), STATUS_CONTENT_TYPES.aggregation, JSON.stringify(await publisher.aggregation()), publisher.options.ttlSeconds);

  const exps = files.flatMap((f) => (f.exp === undefined ? [] : [f.exp]));
  const earliest = exps.length > 0 ? Math.min(...exps) - publisher.options.refreshBeforeSeconds : undefined;
  const manifest: StatusDirManifest = {
    issuer: ctx.issuerId,
    publishedAt: new Date(now * 1000).toISOString(),
    republishBefore: earliest === undefined ? null : new Date(earliest * 1000).toISOString(),
    files,
  };
  writeAtomic(dir, '_headers', headersFile(files));
  writeAtomic(dir, '_redirects', redirectsFile(files));
  writeAtomic(dir, STATUS_DIR_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
