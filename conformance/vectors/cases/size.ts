import { sd, type Tree } from '../sd.js';
import { accept, reject, type CaseDef } from './define.js';

export const sizeCases: CaseDef[] = [
  accept('size-many-disclosures', '200 disclosures (about 30 KB)', 'RFC 9901 §7.1', 'Many disclosures within a reasonable size are fine.', (s) => {
    const tree: Record<string, Tree> = {};
    for (let i = 0; i < 200; i++) tree[`claim_${i}`] = sd(`value ${i}`);
    return s.credential('many', { tree, decoys: false });
  }),
  reject(
    'size-over-bound',
    'a presentation over 64 KiB (one 70 KB claim)',
    'INPUT_TOO_LARGE',
    'RFC 9901 §9 (verifier policy)',
    'A verifier bounds what it parses (denial of service); netcred refuses presentations over 64 KiB before parsing.',
    (s) => s.credential('huge', { tree: { blob: sd('x'.repeat(70_000)) } }),
  ),
  reject(
    'size-json-too-deep',
    'a disclosure value nested 100 levels deep',
    'INPUT_TOO_DEEP',
    'RFC 9901 §9 (verifier policy) / RFC 8259 §9',
    'Parsers may bound nesting depth; netcred refuses JSON deeper than 64 levels.',
    (s) => {
      let deep: Tree = 'bottom';
      for (let i = 0; i < 100; i++) deep = [deep];
      return s.credential('deep', { tree: { deep: sd(deep) } });
    },
  ),
  reject(
    'size-many-disclosures-over-bound',
    '700 small disclosures, about 75 KB in all',
    'INPUT_TOO_LARGE',
    'RFC 9901 §9 (verifier policy)',
    'The bound is on the whole presentation, whatever its shape.',
    (s) => {
      const tree: Record<string, Tree> = {};
      for (let i = 0; i < 700; i++) tree[`c${i}`] = sd(i);
      return s.credential('many-over', { tree, decoys: false });
    },
  ),
];
