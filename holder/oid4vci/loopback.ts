import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Oid4vciClientError } from './errors.js';

/** A loopback redirect listener (RFC 8252 7.3) for one authorization response. */
export type LoopbackRedirect = {
  /** `http://127.0.0.1:<port>/callback/<random>`: give it as redirect_uri. */
  redirectUri: string;
  /** Resolves with the URL the browser came back to; rejects after the timeout. */
  response(): Promise<string>;
  close(): Promise<void>;
};

const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>netcred wallet</title></head><body><p>The wallet has the answer: you can close this page.</p></body></html>';

/**
 * Listens on 127.0.0.1 (a free port) for the one request the authorization server's redirect
 * makes the browser send, on a path with a random part so nothing else on the machine can
 * answer in its place by guessing; anything else gets a 404.
 */
export async function listenForRedirect(timeoutMs: number): Promise<LoopbackRedirect> {
  const path = `/callback/${randomBytes(12).toString('base64url')}`;
  let settle: { resolve: (url: string) => void; reject: (err: Error) => void } | undefined;
  const answer = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  answer.catch(() => undefined);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1`);
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
    settle?.resolve(`${redirectUri}${url.search}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const timer = setTimeout(
    () => settle?.reject(new Oid4vciClientError('AUTHORIZATION_TIMED_OUT', `no authorization response within ${Math.round(timeoutMs / 1000)} s`)),
    timeoutMs,
  );
  timer.unref();
  const close = () =>
    new Promise<void>((resolve) => {
      clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { redirectUri, response: () => answer, close };
}
