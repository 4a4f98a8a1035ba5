import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBounded, parseFetchUrl } from '../../core/index.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') return void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"a":1}');
    if (req.url === '/declared-large') return void res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
    if (req.url === '/streamed-large') {
      res.writeHead(200); // chunked: no content-length to trust
      for (let i = 0; i < 10; i++) res.write('y'.repeat(500));
      return void res.end();
    }
    if (req.url === '/redirect') return void res.writeHead(302, { location: '/ok' }).end();
    if (req.url === '/error') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}');
    // /hang: never answers
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const limits = { maxBytes: 1024, timeoutMs: 2000 };

describe('core/http/fetch-bounded', () => {
  it('accepts https anywhere and http only on loopback; refuses credentials and non-URLs', () => {
    expect(parseFetchUrl('https://issuer.example/x').href).toBe('https://issuer.example/x');
    expect(parseFetchUrl('http://localhost:8080/').hostname).toBe('localhost');
    expect(parseFetchUrl('http://[::1]/').hostname).toBe('[::1]');
    expect(() => parseFetchUrl('http://issuer.example/')).toThrow(expect.objectContaining({ code: 'FETCH_URL_REFUSED', reason: 'URL_REFUSED' }));
    expect(() => parseFetchUrl('ftp://127.0.0.1/')).toThrow(expect.objectContaining({ code: 'FETCH_URL_REFUSED' }));
    expect(() => parseFetchUrl('https://user:pw@issuer.example/')).toThrow(expect.objectContaining({ code: 'FETCH_URL_REFUSED' }));
    expect(() => parseFetchUrl('not a url')).toThrow(expect.objectContaining({ code: 'FETCH_URL_INVALID' }));
    expect(() => parseFetchUrl(undefined)).toThrow(expect.objectContaining({ code: 'FETCH_URL_INVALID' }));
  });

  it('returns status, media type and text, also for error answers', async () => {
    const ok = await fetchBounded(`${base}/ok`, {}, limits);
    expect(ok).toMatchObject({ status: 200, ok: true, contentType: 'application/json', text: '{"a":1}' });
    const bad = await fetchBounded(`${base}/error`, { method: 'POST' }, limits);
    expect(bad).toMatchObject({ status: 400, ok: false, text: '{"error":"invalid_request"}' });
  });

  it('caps the body by declared length and while streaming; no redirects; times out', async () => {
    await expect(fetchBounded(`${base}/declared-large`, {}, limits)).rejects.toMatchObject({ code: 'FETCH_TOO_LARGE' });
    await expect(fetchBounded(`${base}/streamed-large`, {}, limits)).rejects.toMatchObject({ code: 'FETCH_TOO_LARGE' });
    expect((await fetchBounded(`${base}/streamed-large`, {}, { ...limits, maxBytes: 5000 })).text).toHaveLength(5000);
    await expect(fetchBounded(`${base}/redirect`, {}, limits)).rejects.toMatchObject({ code: 'FETCH_UNREACHABLE' });
    await expect(fetchBounded(`${base}/hang`, {}, { ...limits, timeoutMs: 200 })).rejects.toMatchObject({ code: 'FETCH_UNREACHABLE' });
    await expect(fetchBounded('http://example.com/', {}, limits)).rejects.toMatchObject({ code: 'FETCH_URL_REFUSED' });
  });
});
