import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BuiltRequest } from './cases.js';

/** A POST the wallet made to one of a case's endpoints (its response_uri, or the client_id URL of a redirect_uri case). */
export type ObservedPost = {
  path: string;
  contentType: string;
  bytes: number;
  /** The form (or JSON object) fields, strings as sent. */
  fields: Record<string, string>;
  /** The body passed MAX_BODY_BYTES: refused with 413, fields not read. */
  tooLarge: boolean;
};

/** What the wallet did with one case's endpoints. */
export type CaseLog = { fetches: number; posts: ObservedPost[] };

/** Far above any vp_token (a credential with a portrait is some 100 KB), and the server holds no more. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** POSTs kept per case; one is enough to judge, a few show a wallet that retries. */
const MAX_POSTS = 8;

const ROUTE = /^\/(request|response|elsewhere)\/([A-Za-z0-9-]{1,64})$/;

/**
 * The hostile verifier's HTTP side: `/request/<case>` serves the case's request object (GET, or
 * POST for a wallet that uses request_uri_method=post), `/response/<case>` and
 * `/elsewhere/<case>` record whatever is posted there. Every request is bounded in size and time.
 */
export class HostileVerifier {
  private readonly requests = new Map<string, BuiltRequest>();
  private readonly logs = new Map<string, CaseLog>();
  private listeners = new Set<() => void>();

  constructor(private readonly server: Server) {}

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Makes `/request/<name>` answer `built` from now on, with a fresh log. */
  serve(name: string, built: BuiltRequest): void {
    this.requests.set(name, built);
    this.logs.set(name, { fetches: 0, posts: [] });
  }

  log(name: string): CaseLog {
    return this.logs.get(name) ?? { fetches: 0, posts: [] };
  }

  /** Resolves on the next fetch or POST of any case, or after `ms`. */
  nextEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.listeners.add(done);
    });
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const m = ROUTE.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const log = m ? this.logs.get(m[2]!) : undefined;
    if (!m || !log) return void reply(res, 404, 'application/json', '{"error":"not_found"}');
    if (m[1] === 'request') {
      if (req.method !== 'GET' && req.method !== 'POST') return void reply(res, 405, 'application/json', '{"error":"invalid_request"}');
      log.fetches++;
      this.notify();
      // A POST (request_uri_method=post) carries wallet_metadata: drained, not read; the request object is the same.
      req.resume();
      const built = this.requests.get(m[2]!)!;
      return void reply(res, 200, built.contentType, built.body);
    }
    if (req.method !== 'POST') return void reply(res, 405, 'application/json', '{"error":"invalid_request"}');
    if (log.posts.length >= MAX_POSTS) return void reply(res, 429, 'application/json', '{"error":"invalid_request"}', true);
    readBounded(req, MAX_BODY_BYTES).then(
      (body) => {
        log.posts.push({
          path: m[0],
          contentType: req.headers['content-type'] ?? '',
          bytes: body.length,
          fields: fieldsOf(req.headers['content-type'] ?? '', body),
          tooLarge: false,
        });
        this.notify();
        reply(res, 200, 'application/json', '{}');
      },
      (bytes: number) => {
        log.posts.push({ path: m[0], contentType: req.headers['content-type'] ?? '', bytes, fields: {}, tooLarge: true });
        this.notify();
        reply(res, 413, 'application/json', '{"error":"invalid_request","error_description":"body too large"}', true);
      },
    );
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function reply(res: ServerResponse, status: number, contentType: string, body: string, close = false): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...(close ? { connection: 'close' } : {}) });
  res.end(body);
}

/** The body, or a rejection with the byte count once it passes `max` (the rest is not read). */
function readBounded(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > max) {
        req.pause();
        req.removeAllListeners('data');
        reject(total);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(total));
  });
}

function fieldsOf(contentType: string, body: Buffer): Record<string, string> {
  const text = body.toString('utf8');
  if (contentType.startsWith('application/json')) {
    try {
      const v = JSON.parse(text) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v))
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
    } catch {
      // not JSON: no fields
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** Starts the hostile verifier on host:port (0 = a free port). Slow or idle clients are cut off. */
export async function startHostileVerifier(host: string, port: number): Promise<HostileVerifier> {
  let verifier: HostileVerifier | undefined;
  const server = createServer((req, res) => verifier!.handle(req, res));
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 1_000;
  verifier = new HostileVerifier(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return verifier;
}
