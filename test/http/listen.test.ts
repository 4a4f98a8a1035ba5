import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../core/index.js';
import { emptyTrustBundle, listenApp, writeTrustBundle } from '../../verifier/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Something else holding a port of 127.0.0.1. */
let squatter: Server;
let busyPort: number;

beforeAll(async () => {
  squatter = createServer().listen(0, '127.0.0.1');
  await once(squatter, 'listening');
  busyPort = (squatter.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => squatter.close(() => done())));

describe('core/http/listen.ts: one RunningServer for both apps', () => {
  it('serves on a free port, and close() is idempotent', async () => {
    const app = express().get('/ping', (_req, res) => void res.json({ ok: true }));
    const running = await listen(app);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${running.url}/ping`)).json()).toEqual({ ok: true });
    await Promise.all([running.close(), running.close()]);
    await expect(fetch(`${running.url}/ping`)).rejects.toThrow();
  });

  it('a taken port is PORT_IN_USE, any other listen failure LISTEN_FAILED', async () => {
    await expect(listenApp(express(), { port: busyPort })).rejects.toMatchObject({ code: 'PORT_IN_USE', message: `127.0.0.1:${busyPort} is already in use` });
    await expect(listen(express(), { host: '192.0.2.1', port: 0 })).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
  });

  it('netcred verifier serve on a taken port: PORT_IN_USE, exit 2 (as the issuer)', { timeout: 60_000 }, async () => {
    const tmp = tempDir('netcred-listen-');
    try {
      const bundle = path.join(tmp.dir, 'bundle.json');
      writeTrustBundle(bundle, emptyTrustBundle());
      const r = await runCli(['--data', tmp.dir, 'verifier', 'serve', '--bundle', bundle, '--port', String(busyPort)]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error PORT_IN_USE: 127\\.0\\.0\\.1:${busyPort} is already in use`, 'm'));
    } finally {
      tmp.cleanup();
    }
  });
});
