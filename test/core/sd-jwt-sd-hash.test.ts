import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSdJwt } from '../../core/index.js';
// Internals on purpose: the KB-JWT sd_hash computation is what this file tests.
import { sdHashMatches, sdHashOf } from '../../core/sd-jwt/sd-hash.js';
import { vectorsDir } from '../helpers/tmp.js';

const simple = path.join(vectorsDir, 'oauth-selective-disclosure-jwt/examples/simple');

describe('KB-JWT sd_hash (core/sd-jwt/sd-hash.ts)', () => {
  it('is the digest of the presented SD-JWT up to the last "~" (RFC 9901 example)', () => {
    const parsed = parseSdJwt(readFileSync(path.join(simple, 'sd_jwt_presentation.txt'), 'utf8').replace(/\s+/g, ''));
    const { sd_hash } = JSON.parse(readFileSync(path.join(simple, 'kb_jwt_payload.json'), 'utf8')) as { sd_hash: string };
    expect(sdHashOf(parsed.sdHashInput, 'sha-256')).toBe(sd_hash);
    expect(sdHashMatches(sd_hash, parsed.sdHashInput, 'sha-256')).toBe(true);
  });

  it('does not match other disclosures, another _sd_alg, or a claim that is not a string', () => {
    const parsed = parseSdJwt(readFileSync(path.join(simple, 'sd_jwt_presentation.txt'), 'utf8').replace(/\s+/g, ''));
    const good = sdHashOf(parsed.sdHashInput, 'sha-256');
    const fewer = `${parsed.jwt}~${parsed.disclosures
      .slice(1)
      .map((d) => d.encoded)
      .join('~')}~`;
    expect(sdHashMatches(good, fewer, 'sha-256')).toBe(false);
    expect(sdHashMatches(good, parsed.sdHashInput, 'sha-384')).toBe(false);
    expect(sdHashMatches(good.slice(0, -1), parsed.sdHashInput, 'sha-256')).toBe(false);
    for (const bad of [undefined, null, 1, [good], { good }]) expect(sdHashMatches(bad, parsed.sdHashInput, 'sha-256')).toBe(false);
  });
});
