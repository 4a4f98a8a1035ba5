import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetWatch } from '../../cli/demo/net-watch.js';

/** The demo's proof of "no connection" is only as good as this watch: it must see real connections, and refuse when told. */
describe('demo NetWatch', () => {
  let server: http.Server;
  let url: string;
  const watch = new NetWatch();

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    watch.install();
  });
  afterAll(async () => {
    watch.uninstall();
    await new Promise((r) => server.close(r));
  });

  it('counts the connections fetch and http open', async () => {
    const { result, connections } = await watch.during(async () => {
      await new Promise<void>((resolve, reject) => http.get(`${url}/a`, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject));
      return (await fetch(`${url}/b`, { headers: { connection: 'close' } })).text();
    });
    expect(result).toBe('ok');
    const port = Number(new URL(url).port);
    expect(connections.filter((c) => c.port === port).length).toBeGreaterThanOrEqual(2);
  });

  it('counts nothing for work that opens no connection', async () => {
    const { connections } = await watch.during(() => JSON.parse('{"a":1}') as unknown);
    expect(connections).toEqual([]);
  });

  it('refuses connections while blocking, and lets them through again after', async () => {
    const port = Number(new URL(url).port);
    server.closeAllConnections();
    watch.setBlock((d) => d.port === port);
    await expect(new Promise((resolve, reject) => http.get(`${url}/c`, { agent: false }, resolve).on('error', reject))).rejects.toMatchObject({
      code: 'OFFLINE',
    });
    watch.setBlock(undefined);
    const { result } = await watch.during(async () => (await fetch(`${url}/d`)).text());
    expect(result).toBe('ok');
  });
});
