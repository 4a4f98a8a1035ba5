// A registered type may not name a profile lite or upgraded: `--profile lite|upgraded` always
// means the built-in ones, in the wallet and the verifier alike (core/dcql/type-profiles.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTypeDefinition } from '../../issuer/index.js';
import { repoRoot } from '../helpers/cli.js';

const dir = path.join(repoRoot, 'docs/examples/library-card');
const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
const files = (profiles: Record<string, string>) => ({
  type: read('type.json'),
  schema: read('claims.schema.json'),
  metadata: read('type-metadata.json'),
  profiles,
});

describe('a registered type names its profiles', () => {
  it('borrow is accepted; lite is refused with the profile file named (TYPE_DEFINITION_INVALID)', () => {
    const borrow = read('profiles/borrow.dcql.json');
    expect(Object.keys(parseTypeDefinition(files({ borrow })).profiles)).toEqual(['borrow']);
    expect(() => parseTypeDefinition(files({ lite: borrow }))).toThrow(
      expect.objectContaining({
        code: 'TYPE_DEFINITION_INVALID',
        details: [{ path: 'profiles/lite.dcql.json', message: expect.stringContaining('built-in profile') }],
      }),
    );
  });
});
