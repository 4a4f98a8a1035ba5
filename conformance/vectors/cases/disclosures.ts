import { sdDigest } from '../../../core/index.js';
import { encodeDisclosure, sd } from '../sd.js';
import type { Suite } from '../suite.js';
import { accept, reject, type CaseDef } from './define.js';

const S71 = 'RFC 9901 §7.1';

/** A credential whose top-level `_sd` also lists `extra` (disclosures made by hand), presented with them. */
function withTopLevel(s: Suite, label: string, extra: string[], o: { digests?: string[] } = {}) {
  return s.credential(label, {
    payload: (p) => {
      p._sd = [...((p._sd as string[] | undefined) ?? []), ...(o.digests ?? extra.map((e) => sdDigest(e)))].sort();
    },
    disclosures: (list) => [...list, ...extra],
  });
}

const salt = (s: Suite, label: string) => s.random.salt(`hand:${label}`);

export const disclosureCases: CaseDef[] = [
  accept(
    'sd-all-disclosed',
    'every disclosure presented',
    `${S71} step 3`,
    'Each disclosure is referenced once: the verifier puts every value in place and removes _sd and _sd_alg.',
    (s) => s.credential('sd-all-disclosed'),
  ),
  accept(
    'sd-none-disclosed',
    'no disclosure presented',
    `${S71} step 3`,
    'Digests without a disclosure are ignored; array elements without one are removed.',
    (s) => s.credential('sd-none-disclosed', { disclose: () => false }),
  ),
  accept(
    'sd-some-disclosed',
    'given_name and one address member presented',
    `${S71} step 3`,
    'A subset of the disclosures is a valid presentation (RFC 9901 §7.2).',
    (s) => s.credential('sd-some-disclosed', { disclose: (p) => p === 'given_name' || p === 'address' || p === 'address.locality' }),
  ),
  accept(
    'sd-no-digests',
    'a payload with no selectively disclosable claim',
    `${S71} step 3`,
    'An SD-JWT need not contain any digest; without digests _sd_alg may be absent (§4.1.1).',
    (s) => s.credential('sd-no-digests', { tree: { given_name: 'Erika', family_name: 'Mustermann' } }),
  ),
  accept(
    'sd-alg-sha-384',
    '_sd_alg sha-384 with digests computed with it',
    'RFC 9901 §4.1.1',
    'Any hash of the IANA Named Information registry may be named; sha-384 is one (the verifier may refuse ones it deems insecure, not this).',
    (s) => {
      const d = encodeDisclosure([salt(s, '384'), 'given_name', 'Erika']);
      return s.handMade({ _sd: [sdDigest(d, 'sha-384')], _sd_alg: 'sha-384' }, [d], { claims: { given_name: 'Erika' } });
    },
  ),
  accept('sd-alg-sha-512', '_sd_alg sha-512 with digests computed with it', 'RFC 9901 §4.1.1', 'As sha-384.', (s) => {
    const d = encodeDisclosure([salt(s, '512'), 'given_name', 'Erika']);
    return s.handMade({ _sd: [sdDigest(d, 'sha-512')], _sd_alg: 'sha-512' }, [d], { claims: { given_name: 'Erika' } });
  }),
  accept('sd-alg-absent-sha-256-default', '_sd_alg absent: digests are sha-256', 'RFC 9901 §4.1.1', 'Without _sd_alg the hash is sha-256.', (s) => {
    const d = encodeDisclosure([salt(s, 'default'), 'given_name', 'Erika']);
    return s.handMade({ _sd: [sdDigest(d)] }, [d], { claims: { given_name: 'Erika' } });
  }),
  reject(
    'sd-alg-unknown',
    '_sd_alg md5',
    'SD_ALG_UNSUPPORTED',
    `${S71} step 2`,
    'The verifier MUST check that _sd_alg names a hash it deems secure; md5 is not one, and an unknown name cannot be computed.',
    (s) => {
      const d = encodeDisclosure([salt(s, 'md5'), 'given_name', 'Erika']);
      return s.handMade({ _sd: [sdDigest(d)], _sd_alg: 'md5' }, [d]);
    },
  ),
  reject('sd-alg-not-string', '_sd_alg is a number', 'SD_ALG_UNSUPPORTED', 'RFC 9901 §4.1.1', '_sd_alg is a string naming a hash algorithm.', (s) => {
    const d = encodeDisclosure([salt(s, 'alg-num'), 'given_name', 'Erika']);
    return s.handMade({ _sd: [sdDigest(d)], _sd_alg: 256 }, [d]);
  }),
  reject(
    'disclosure-four-elements',
    'a disclosure of four elements',
    'DISCLOSURE_MALFORMED',
    `${S71} step 3`,
    'An object property disclosure MUST be a JSON array of three elements, else the SD-JWT MUST be rejected.',
    (s) => withTopLevel(s, 'four', [encodeDisclosure([salt(s, 'four'), 'nickname', 'Eri', 'extra'])]),
  ),
  reject(
    'disclosure-one-element',
    'a disclosure of one element',
    'DISCLOSURE_MALFORMED',
    `${S71} step 3`,
    'Neither a 3-element (property) nor a 2-element (array element) disclosure.',
    (s) => withTopLevel(s, 'one', [encodeDisclosure([salt(s, 'one')])]),
  ),
  reject(
    'disclosure-not-json',
    'a disclosure that is base64url of non-JSON text',
    'DISCLOSURE_MALFORMED',
    `RFC 9901 §4.2 / ${S71} step 3`,
    'A disclosure is the base64url of a UTF-8 JSON array.',
    (s) => withTopLevel(s, 'notjson', [Buffer.from('salt, nickname, Eri').toString('base64url')]),
  ),
  reject(
    'disclosure-not-array',
    'a disclosure that is a JSON object',
    'DISCLOSURE_MALFORMED',
    `RFC 9901 §4.2 / ${S71} step 3`,
    'A disclosure is a JSON array.',
    (s) => withTopLevel(s, 'object', [encodeDisclosure({ salt: 'x', name: 'nickname', value: 'Eri' } as unknown as unknown[])]),
  ),
  reject(
    'disclosure-not-base64url',
    'a disclosure with characters outside base64url',
    'DISCLOSURE_MALFORMED',
    'RFC 9901 §4.2',
    'A disclosure is base64url encoded (RFC 7515 §2: no padding, URL-safe alphabet).',
    (s) => {
      const d = Buffer.from(JSON.stringify([salt(s, 'b64'), 'nickname', 'Eri~?'])).toString('base64');
      return withTopLevel(s, 'b64', [d.replace(/=+$/, '').replace(/[A-Za-z0-9]$/, '+')]);
    },
  ),
  reject('disclosure-salt-not-string', 'a disclosure whose salt is a number', 'DISCLOSURE_MALFORMED', 'RFC 9901 §4.2.1', 'The salt is a string.', (s) =>
    withTopLevel(s, 'salt-num', [encodeDisclosure([12345, 'nickname', 'Eri'])]),
  ),
  reject(
    'disclosure-name-not-string',
    'a disclosure whose claim name is a number',
    'DISCLOSURE_MALFORMED',
    'RFC 9901 §4.2.1',
    'The claim name is a string.',
    (s) => withTopLevel(s, 'name-num', [encodeDisclosure([salt(s, 'name-num'), 42, 'Eri'])]),
  ),
  reject(
    'disclosure-name-sd',
    'a disclosure naming the claim _sd',
    'DISCLOSURE_FORBIDDEN_NAME',
    `${S71} step 3`,
    'If the claim name is _sd or ..., the SD-JWT MUST be rejected.',
    (s) => withTopLevel(s, 'name-sd', [encodeDisclosure([salt(s, 'name-sd'), '_sd', ['x']])]),
  ),
  reject(
    'disclosure-name-ellipsis',
    'a disclosure naming the claim ...',
    'DISCLOSURE_FORBIDDEN_NAME',
    `${S71} step 3`,
    'If the claim name is _sd or ..., the SD-JWT MUST be rejected.',
    (s) => withTopLevel(s, 'name-dots', [encodeDisclosure([salt(s, 'name-dots'), '...', 'x'])]),
  ),
  reject(
    'disclosure-name-collision-plain',
    'a disclosed name that is also a plain claim at that level',
    'DISCLOSURE_NAME_COLLISION',
    `${S71} step 3`,
    'If the claim name already exists at the level of the _sd key, the SD-JWT MUST be rejected.',
    (s) => {
      const d = encodeDisclosure([salt(s, 'collide'), 'nickname', 'Eve']);
      return s.credential('collide-plain', {
        payload: (p) => {
          p.nickname = 'Eri';
          p._sd = [...((p._sd as string[] | undefined) ?? []), sdDigest(d)].sort();
        },
        disclosures: (list) => [...list, d],
      });
    },
  ),
  reject(
    'disclosure-name-collision-twice',
    'two disclosures of one name at one level',
    'DISCLOSURE_NAME_COLLISION',
    `${S71} step 3`,
    'The second disclosure names a claim that already exists at its level.',
    (s) => withTopLevel(s, 'twice', [encodeDisclosure([salt(s, 'twice-a'), 'nickname', 'Eri']), encodeDisclosure([salt(s, 'twice-b'), 'nickname', 'Eve'])]),
  ),
  reject(
    'disclosure-name-collision-iss',
    'a disclosure of iss next to the plain iss',
    'DISCLOSURE_NAME_COLLISION',
    `${S71} step 3`,
    'A disclosed iss collides with the plain iss (and would otherwise replace the issuer).',
    (s) => withTopLevel(s, 'iss', [encodeDisclosure([salt(s, 'iss'), 'iss', s.otherIssuer.did])]),
  ),
  reject(
    'digest-twice-top-and-nested',
    'one digest in the top _sd and in a nested _sd',
    'DISCLOSURE_DUPLICATE_DIGEST',
    `${S71} step 4`,
    'If any digest is encountered more than once in the payload (directly or via disclosures), the SD-JWT MUST be rejected.',
    (s) => {
      const d = encodeDisclosure([salt(s, 'dup'), 'nickname', 'Eri']);
      return s.credential('dup-nested', {
        payload: (p) => {
          p._sd = [...((p._sd as string[] | undefined) ?? []), sdDigest(d)].sort();
          p.extra = { _sd: [sdDigest(d)] };
        },
        disclosures: (list) => [...list, d],
      });
    },
  ),
  reject(
    'digest-twice-same-sd',
    'one digest twice in the same _sd array',
    'DISCLOSURE_DUPLICATE_DIGEST',
    `${S71} step 4`,
    'A digest encountered more than once rejects the SD-JWT.',
    (s) => {
      const d = encodeDisclosure([salt(s, 'dup-same'), 'nickname', 'Eri']);
      return withTopLevel(s, 'dup-same', [d], { digests: [sdDigest(d), sdDigest(d)] });
    },
  ),
  reject(
    'digest-twice-via-disclosure',
    'a digest repeated inside another disclosure',
    'DISCLOSURE_DUPLICATE_DIGEST',
    `${S71} step 4`,
    'Digests reached recursively through disclosures count too.',
    (s) => {
      const inner = encodeDisclosure([salt(s, 'rec-inner'), 'street', 'Main St']);
      const outer = encodeDisclosure([salt(s, 'rec-outer'), 'home', { _sd: [sdDigest(inner)] }]);
      return withTopLevel(s, 'dup-rec', [outer, inner], { digests: [sdDigest(outer), sdDigest(inner)] });
    },
  ),
  reject(
    'digest-twice-array',
    'one digest in two array elements',
    'DISCLOSURE_DUPLICATE_DIGEST',
    `${S71} step 4`,
    'The same {"...": digest} twice is a digest encountered more than once.',
    (s) => {
      const el = encodeDisclosure([salt(s, 'arr-dup'), 'IT']);
      return s.credential('dup-array', {
        payload: (p) => {
          p.languages = [{ '...': sdDigest(el) }, { '...': sdDigest(el) }];
        },
        disclosures: (list) => [...list, el],
      });
    },
  ),
  reject(
    'disclosure-presented-twice',
    'one disclosure presented twice',
    'DISCLOSURE_DUPLICATE_DIGEST',
    `${S71} step 4`,
    'The repeated disclosure reaches its digest a second time; a verifier must not accept it silently.',
    (s) => s.credential('twice-presented', { disclosures: (list) => [...list, list[0]!] }),
  ),
  reject(
    'disclosure-unreferenced',
    'a disclosure no digest references',
    'DISCLOSURE_UNREFERENCED',
    `${S71} step 5`,
    'If any disclosure was not referenced by a digest (directly or recursively), the SD-JWT MUST be rejected.',
    (s) => s.credential('unreferenced', { disclosures: (list) => [...list, encodeDisclosure([salt(s, 'unref'), 'nickname', 'Eri'])] }),
  ),
  reject(
    'disclosure-digest-other-alg',
    'a disclosure whose digest is in _sd only as sha-512 while _sd_alg is sha-256',
    'DISCLOSURE_UNREFERENCED',
    `${S71} step 3 and 5`,
    'Digests are computed with _sd_alg; a digest of another hash references nothing.',
    (s) => {
      const d = encodeDisclosure([salt(s, 'other-alg'), 'nickname', 'Eri']);
      return withTopLevel(s, 'other-alg', [d], { digests: [sdDigest(d, 'sha-512')] });
    },
  ),
  reject(
    'disclosure-reencoded',
    'a disclosure re-encoded (same JSON, other whitespace) after issuance',
    'DISCLOSURE_UNREFERENCED',
    'RFC 9901 §4.2.3',
    'The digest is over the disclosure string as sent; a re-serialized disclosure has another digest.',
    (s) =>
      s.credential('reencoded', {
        disclosures: (list) => {
          const first = JSON.parse(Buffer.from(list[0]!, 'base64url').toString('utf8')) as unknown[];
          return [Buffer.from(JSON.stringify(first, null, 1)).toString('base64url'), ...list.slice(1)];
        },
      }),
  ),
  reject(
    'disclosure-array-in-sd',
    'a 2-element (array element) disclosure referenced from _sd',
    'DISCLOSURE_MALFORMED',
    `${S71} step 3`,
    'A digest found in _sd must belong to a 3-element disclosure, else the SD-JWT MUST be rejected.',
    (s) => withTopLevel(s, 'arr-in-sd', [encodeDisclosure([salt(s, 'arr-in-sd'), 'Eri'])]),
  ),
  reject(
    'disclosure-property-in-array',
    'a 3-element (property) disclosure referenced from an array element',
    'DISCLOSURE_MALFORMED',
    `${S71} step 3`,
    'A digest found in an array element must belong to a 2-element disclosure, else the SD-JWT MUST be rejected.',
    (s) => {
      const d = encodeDisclosure([salt(s, 'prop-in-arr'), 'lang', 'IT']);
      return s.credential('prop-in-array', { payload: (p) => void (p.languages = [{ '...': sdDigest(d) }]), disclosures: (list) => [...list, d] });
    },
  ),
  reject(
    'empty-disclosure',
    'an empty disclosure between two ~',
    'MALFORMED',
    'RFC 9901 §4',
    'The serialization has a disclosure between each ~; an empty one is not a disclosure.',
    (s) => s.credential('empty', { disclosures: (list) => [list[0]!, '', ...list.slice(1)] }),
  ),
  reject(
    'no-tilde',
    'an issuer JWT alone, with no ~',
    'MALFORMED',
    'RFC 9901 §4',
    'An SD-JWT always has a ~ after the issuer JWT (and after each disclosure).',
    (s) => {
      const b = s.credential('no-tilde', { kb: false });
      return { ...b, presentation: b.issuerJwt };
    },
  ),
  reject('sd-not-array', '_sd is a string', 'MALFORMED', 'RFC 9901 §4.2.4.1', '_sd is an array of digest strings.', (s) => {
    const d = encodeDisclosure([salt(s, 'sd-string'), 'nickname', 'Eri']);
    return s.handMade({ _sd: sdDigest(d), _sd_alg: 'sha-256' }, [d]);
  }),
  reject('sd-entry-not-string', '_sd holds a number', 'MALFORMED', 'RFC 9901 §4.2.4.1', 'Each _sd entry is a digest string.', (s) => {
    const d = encodeDisclosure([salt(s, 'sd-num'), 'nickname', 'Eri']);
    return s.handMade({ _sd: [sdDigest(d), 42], _sd_alg: 'sha-256' }, [d]);
  }),
  reject(
    'array-ellipsis-extra-key',
    'an array element {"...": digest, "x": 1}',
    'DISCLOSURE_MALFORMED',
    'RFC 9901 §4.2.4.2',
    'An array element digest is an object with the single key "..."; with another key it is neither a digest nor plain data a verifier may keep silently.',
    (s) => {
      const el = encodeDisclosure([salt(s, 'arr-extra'), 'IT']);
      return s.credential('arr-extra', { payload: (p) => void (p.languages = [{ '...': sdDigest(el), x: 1 }]), disclosures: (list) => [...list, el] });
    },
  ),
  accept(
    'json-serialization-flattened',
    'the presentation in the flattened JWS JSON serialization',
    'RFC 9901 §8',
    'An SD-JWT may be sent as flattened JWS JSON with disclosures and kb_jwt in the unprotected header.',
    (s) => {
      const b = s.credential('json-flat');
      const [protectedHeader, payload, signature] = b.issuerJwt.split('.') as [string, string, string];
      const parts = b.presentation.split('~');
      const kb = parts[parts.length - 1]!;
      return {
        ...b,
        presentation: JSON.stringify({ payload, protected: protectedHeader, signature, header: { disclosures: parts.slice(1, -1), kb_jwt: kb } }),
      };
    },
  ),
  accept(
    'sd-claim-value-types',
    'disclosed values of every JSON type',
    `${S71} step 3`,
    'A disclosed value is any JSON value: null, numbers, booleans, objects, arrays.',
    (s) =>
      s.credential('value-types', {
        tree: { n: sd(null), i: sd(42), f: sd(1.5), t: sd(true), f2: sd(false), o: sd({ a: 1 }), a: sd([1, 'two']), u: sd('Grüße, 世界') },
      }),
  ),
];
