import { sdDigest } from '../../../core/index.js';
import { encodeDisclosure, sd } from '../sd.js';
import { accept, reject, type CaseDef } from './define.js';

const REC = 'RFC 9901 §4.2.6';
const ARR = 'RFC 9901 §4.2.4.2';

export const structureCases: CaseDef[] = [
  accept(
    'recursive-all',
    'address disclosable, and each of its members',
    `${REC} / §7.1 step 3`,
    'A disclosure whose value holds _sd is processed recursively.',
    (s) => s.credential('rec-all', { disclose: (p) => p.startsWith('address') }),
  ),
  accept('recursive-parent-only', 'address disclosed, none of its members', REC, 'The parent can be disclosed alone; its undisclosed members disappear.', (s) =>
    s.credential('rec-parent', { disclose: (p) => p === 'address' }),
  ),
  reject(
    'recursive-child-without-parent',
    'a member of address disclosed without address',
    'DISCLOSURE_UNREFERENCED',
    `${REC} / §7.1 step 5`,
    "The member's digest sits inside the undisclosed parent: nothing in the presentation references it.",
    (s) =>
      s.credential('rec-orphan', {
        disclose: (p) => p === 'address.locality' || p === 'address',
        disclosures: (list, made) => list.filter((d) => d !== made.find((m) => m.path === 'address')!.encoded),
      }),
  ),
  accept('recursive-three-levels', 'three nested levels of disclosable objects', REC, 'Recursion has no depth limit below the size bounds.', (s) =>
    s.credential('rec-3', { tree: { a: sd({ b: sd({ c: sd({ d: 'deep' }) }) }) } }),
  ),
  accept('array-all-disclosed', 'every array element disclosed', `${ARR} / §7.1 step 3`, 'Each {"...": digest} is replaced by the disclosed value.', (s) =>
    s.credential('arr-all'),
  ),
  accept('array-some-disclosed', 'one of two array elements disclosed', `${ARR} / §7.1 step 3`, 'Elements whose digest has no disclosure are removed.', (s) =>
    s.credential('arr-some', { disclose: (p) => p !== 'nationalities[1]' }),
  ),
  accept('array-none-disclosed', 'no array element disclosed', `${ARR} / §7.1 step 3`, 'The array remains, empty.', (s) =>
    s.credential('arr-none', { disclose: (p) => !p.startsWith('nationalities') }),
  ),
  accept(
    'array-of-objects',
    'disclosable objects inside an array, with disclosable members',
    ARR,
    'Array element disclosures may hold objects with their own _sd.',
    (s) => s.credential('arr-obj', { tree: { degrees: [sd({ type: sd('Bachelor'), year: 2010 }), sd({ type: 'Master', year: sd(2012) })] } }),
  ),
  accept('array-nested-arrays', 'disclosable elements in nested arrays', ARR, 'Arrays in arrays are processed the same way.', (s) =>
    s.credential('arr-nested', { tree: { matrix: [[sd(1), 2], [sd([sd(3), 4])]] } }),
  ),
  accept('array-of-nulls', 'disclosable null elements', ARR, 'null is a value like any other.', (s) =>
    s.credential('arr-null', { tree: { nulls: [sd(null), null, sd(null)] } }),
  ),
  accept('array-plain-and-disclosable', 'plain elements next to disclosable ones', ARR, 'Plain elements stay in place, in order.', (s) =>
    s.credential('arr-mixed', { tree: { langs: ['de', sd('fr'), 'it', sd('en')] } }),
  ),
  accept('decoys-many', 'thirty decoy digests at the top level', 'RFC 9901 §4.2.5', 'Decoy digests have no disclosure and are ignored.', (s) =>
    s.credential('decoys', {
      payload: (p) =>
        void (p._sd = [
          ...((p._sd as string[] | undefined) ?? []),
          ...Array.from({ length: 30 }, (_, i) => sdDigest(s.random.bytes(`decoy-many:${i}`, 32).toString('base64url'))),
        ].sort()),
    }),
  ),
  accept('decoys-in-array', 'decoy {"...": digest} array elements', 'RFC 9901 §4.2.5', 'An array element digest without a disclosure is removed.', (s) =>
    s.credential('arr-decoy', { payload: (p) => void (p.extra_list = ['x', { '...': sdDigest(s.random.bytes('arr-decoy', 32).toString('base64url')) }]) }),
  ),
  accept('decoys-none', 'no decoys at all', 'RFC 9901 §4.2.5', 'Decoys are OPTIONAL.', (s) => s.credential('no-decoys', { decoys: false })),
  accept('sd-nested-in-plain', 'disclosable members inside a plain object', 'RFC 9901 §4.2.4.1', '_sd may appear at any object level.', (s) =>
    s.credential('nested-plain', { tree: { residence: { city: sd('Koeln'), zip: sd('50667'), country: 'DE' } } }),
  ),
  reject(
    'array-element-disclosure-name-sd-inside',
    'an array element disclosure whose object value names _sd plainly twice',
    'DISCLOSURE_DUPLICATE_DIGEST',
    `RFC 9901 §7.1 step 4`,
    "The digest reached in the element's value is already referenced at the top.",
    (s) => {
      const inner = encodeDisclosure([s.random.salt('arr-inner'), 'k', 'v']);
      const el = encodeDisclosure([s.random.salt('arr-el'), { _sd: [sdDigest(inner)] }]);
      return s.credential('arr-el-dup', {
        payload: (p) => {
          p.items = [{ '...': sdDigest(el) }];
          p._sd = [...((p._sd as string[] | undefined) ?? []), sdDigest(inner)].sort();
        },
        disclosures: (list) => [...list, el, inner],
      });
    },
  ),
];
