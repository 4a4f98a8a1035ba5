import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

/** The guides written for issue 7; their relative links must point at files that exist. */
const DOCS = ['index.md', 'issuer.md', 'kiosk.md', 'conformance.md', 'error-codes.md', 'haip.md', 'architecture.md'];

describe('docs links', () => {
  for (const doc of DOCS) {
    it(`${doc}: every relative link resolves`, () => {
      const file = path.join(repoRoot, 'docs', doc);
      const text = readFileSync(file, 'utf8');
      const links = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
      const broken = links.filter((l) => !existsSync(path.resolve(path.dirname(file), l)));
      expect(broken).toEqual([]);
    });
  }

  it('the index links every role guide and reference document', () => {
    const index = readFileSync(path.join(repoRoot, 'docs/index.md'), 'utf8');
    for (const l of [
      'issuer.md',
      'wallet.md',
      'verifier.md',
      'kiosk.md',
      'openid4vci.md',
      'openid4vp.md',
      'qr-transport.md',
      'error-codes.md',
      'issuer-data.md',
      'conformance.md',
      'haip.md',
      'architecture.md',
      'openapi/issuer.json',
      'openapi/verifier.json',
    ]) {
      expect(index).toContain(`](${l})`);
    }
  });
});
