import dns from 'node:dns';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeQrTransport } from '../../core/index.js';
import { createVerifier, loadTrustBundle } from '../../verifier/index.js';
import { tempDir } from '../helpers/tmp.js';
import { AUD, NOW, present, world } from './helpers/fixture.js';

/** Every way this process could open a connection, replaced by a thrower that counts. */
function forbidNetwork(): { attempts: () => number; restore: () => void } {
  let attempts = 0;
  const saved: [object, string, unknown][] = [];
  const block = (obj: object, name: string) => {
    saved.push([obj, name, (obj as Record<string, unknown>)[name]]);
    (obj as Record<string, unknown>)[name] = () => {
      attempts++;
      throw new Error(`network access (${name}) during offline verification`);
    };
  };
  block(net.Socket.prototype, 'connect');
  block(net, 'connect');
  block(net, 'createConnection');
  block(tls, 'connect');
  block(http, 'request');
  block(http, 'get');
  block(https, 'request');
  block(https, 'get');
  block(dns, 'lookup');
  block(dns, 'resolve');
  block(globalThis, 'fetch');
  return {
    attempts: () => attempts,
    restore: () => {
      for (const [obj, name, fn] of saved.reverse()) (obj as Record<string, unknown>)[name] = fn;
    },
  };
}

const tmp = tempDir('netcred-verifier-offline-');
afterAll(() => tmp.cleanup());

describe('verification never opens a network connection', () => {
  let valid: string;
  let revoked: string;
  let viaQr: string;
  let bundleFile: string;

  beforeAll(async () => {
    const w = await world();
    valid = await present(await w.mintIdentity({ idx: 2 }), ['given_name', 'family_name', 'age_over_18'], w.holder.priv);
    revoked = await present(await w.mintIdentity({ idx: 5 }), ['given_name', 'family_name', 'age_over_18'], w.holder.priv);
    viaQr = encodeQrTransport(await present(await w.mintIdentity({ idx: 3 }), ['given_name', 'family_name', 'age_over_18'], w.holder.priv, { nonce: 'qr' }));
    bundleFile = path.join(tmp.dir, 'bundle.json');
    writeFileSync(bundleFile, JSON.stringify(w.bundle));
  });

  it('loads the bundle and verifies valid, revoked and QR-form presentations with every socket API blocked', async () => {
    const guard = forbidNetwork();
    try {
      // The guard itself works: a connection attempt is counted and refused.
      expect(() => net.connect(443, '203.0.113.1')).toThrow(/network access/);
      expect(guard.attempts()).toBe(1);

      const verifier = createVerifier({ trust: loadTrustBundle(bundleFile), aud: AUD });
      expect(await verifier.verify(valid, { now: NOW, profile: 'lite' })).toMatchObject({ valid: true, status: { value: 0 } });
      expect((await verifier.verify(revoked, { now: NOW })).code).toBe('STATUS_REVOKED');
      expect(viaQr.startsWith('NC1:')).toBe(true);
      expect(await verifier.verify(viaQr, { now: NOW, profile: 'lite' })).toMatchObject({ valid: true, profile: 'lite' });
      expect((await verifier.verify(valid, { now: NOW })).code).toBe('KB_JWT_REPLAYED');
      expect(guard.attempts()).toBe(1);
    } finally {
      guard.restore();
    }
  });
});
