import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySdJwt } from '../../core/index.js';
import { vectorCases } from './helpers/vectors.js';

const cases = vectorCases();

describe('RFC 9901 core against the shared vectors', () => {
  it('finds the generated cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of cases) {
    it(c.name, () => {
      const kbPayload = c.keyBinding ? (JSON.parse(require_('kb_jwt_payload.json', c.dir)) as { iat: number; aud: string }) : undefined;
      const result = verifySdJwt(c.presentation, {
        issuerKey: createPublicKey({ key: c.settings.issuerJwk, format: 'jwk' }),
        // a "now" near generation time: one minute after the KB-JWT was made
        now: kbPayload ? (kbPayload.iat + 60) * 1000 : new Date('2026-11-27T12:00:00Z'),
        keyBinding: c.keyBinding ? { required: true, aud: c.settings.verifier, nonce: c.settings.nonce, maxAgeSeconds: 300 } : { required: false },
      });
      expect(result.claims).toStrictEqual(c.expected);
      expect(result.kbJwt !== undefined).toBe(c.keyBinding);
    });
  }
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
function require_(file: string, dir: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}
