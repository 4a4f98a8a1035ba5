import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Internals on purpose: the admin-route guard, mounted on a small app on 127.0.0.1.
import { bearerAuth } from '../../core/http/bearer-auth.js';

const REALM = 'netcred-admin';
// '!' and '~' are the two ends of the visible ASCII a token may hold.
const TOKEN = '!S3cret-token_.~';

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> };

/** One GET with raw header values (node:http, so any latin-1 byte can be sent). */
function get(port: number, path: string, authorization?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', headers: authorization === undefined ? {} : { authorization } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('bearerAuth (RFC 6750 bearer token on admin routes)', () => {
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    const app = express();
    app.get('/off', bearerAuth({ token: undefined, realm: REALM }), (_req, res) => res.json({ ok: true }));
    app.get('/empty', bearerAuth({ token: '', realm: REALM }), (_req, res) => res.json({ ok: true }));
    app.get('/admin', bearerAuth({ token: TOKEN, realm: REALM }), (_req, res) => res.json({ ok: true }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const expectMissing = (r: Reply) => {
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(`Bearer realm="${REALM}"`);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toEqual({ error: 'invalid_token', error_description: 'an admin token is required (Authorization: Bearer <token>)' });
  };
  const expectWrong = (r: Reply) => {
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(`Bearer realm="${REALM}", error="invalid_token"`);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toEqual({ error: 'invalid_token', error_description: 'the admin token is not valid' });
  };
  const expectPassed = (r: Reply) => {
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true });
    expect(r.headers['www-authenticate']).toBeUndefined();
  };

  it('no token configured (undefined or empty): 403 access_denied for everyone, even with a token, no challenge', async () => {
    for (const path of ['/off', '/empty']) {
      for (const auth of [undefined, `Bearer ${TOKEN}`, 'Bearer x']) {
        const r = await get(port, path, auth);
        expect(r.status, `${path} ${auth}`).toBe(403);
        expect(r.headers['cache-control']).toBe('no-store');
        expect(r.headers['www-authenticate']).toBeUndefined();
        expect(r.body).toEqual({ error: 'access_denied', error_description: 'the admin API is not enabled on this server' });
      }
    }
  });

  it('no Authorization header: 401 invalid_token, a challenge without an error attribute (RFC 6750 3.1)', async () => {
    expectMissing(await get(port, '/admin'));
  });

  it('the right token passes to the route', async () => {
    expectPassed(await get(port, '/admin', `Bearer ${TOKEN}`));
  });

  it('a wrong token (another one, one character short, one more): 401 with error="invalid_token" in the challenge', async () => {
    for (const t of ['wrong', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase()]) expectWrong(await get(port, '/admin', `Bearer ${t}`));
  });

  it('the scheme is case-insensitive (RFC 9110 11.1)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) expectPassed(await get(port, '/admin', `${scheme} ${TOKEN}`));
  });

  it('one or several spaces between scheme and token', async () => {
    expectPassed(await get(port, '/admin', `Bearer   ${TOKEN}`));
  });

  it('credentials that are not "Bearer <visible ASCII>" count as no token: no space, another scheme, a space or a non-ASCII byte in the token', async () => {
    for (const auth of [
      `Bearer${TOKEN}`,
      `Basic ${Buffer.from('admin:pw').toString('base64')}`,
      `xBearer ${TOKEN}`,
      `Token ${TOKEN}`,
      `Bearer ${TOKEN} extra`,
      `Bearer ${TOKEN}\u00e9`,
      `Bearer \u00e9${TOKEN}`,
      `Bearer ${TOKEN}\t${TOKEN}`,
      'Bearer',
    ]) {
      expectMissing(await get(port, '/admin', auth));
    }
  });
});
