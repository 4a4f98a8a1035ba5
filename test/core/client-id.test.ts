import { describe, expect, it } from 'vitest';
// Internals on purpose: every rule of core/oid4vp/client-id.ts, checked directly.
import { assertResponseUriOnHost, CLIENT_ID_PREFIXES, isDnsName, isX509Prefix, splitClientId, x509SanDnsClientId } from '../../core/oid4vp/client-id.js';
import { Oid4vpRuleError } from '../../core/oid4vp/errors.js';
import { thrown } from '../helpers/thrown.js';

describe('splitClientId (OpenID4VP 1.0 sections 5.9.2, 5.9.3)', () => {
  it('the prefixes OpenID4VP 1.0 defines, and only those', () => {
    expect([...CLIENT_ID_PREFIXES]).toEqual([
      'redirect_uri',
      'decentralized_identifier',
      'x509_san_dns',
      'x509_hash',
      'verifier_attestation',
      'openid_federation',
      'origin',
    ]);
  });

  it('each known prefix splits at its first colon; the value keeps later colons', () => {
    for (const prefix of CLIENT_ID_PREFIXES) expect(splitClientId(`${prefix}:v`)).toEqual({ prefix, value: 'v' });
    expect(splitClientId('redirect_uri:https://v.example:8443/cb')).toEqual({ prefix: 'redirect_uri', value: 'https://v.example:8443/cb' });
    expect(splitClientId('decentralized_identifier:did:web:v.example')).toEqual({ prefix: 'decentralized_identifier', value: 'did:web:v.example' });
  });

  it('the value may hold line breaks (dotAll): the whole rest is the value', () => {
    expect(splitClientId('x509_hash:a\nb')).toEqual({ prefix: 'x509_hash', value: 'a\nb' });
  });

  it('anything else is a pre-registered client id, kept whole', () => {
    for (const id of [
      'my-client',
      'redirect_uri:', // no value
      'xredirect_uri:https://v.example', // the prefix must start the client_id
      'redirect_uri_x:abc', // the prefix must end at the colon
      'REDIRECT_URI:https://v.example', // case-sensitive
      'https://v.example',
      '',
    ]) {
      expect(splitClientId(id), id).toEqual({ prefix: 'pre-registered', value: id });
    }
  });
});

describe('isX509Prefix', () => {
  it('true for x509_san_dns and x509_hash only', () => {
    expect(isX509Prefix('x509_san_dns')).toBe(true);
    expect(isX509Prefix('x509_hash')).toBe(true);
    for (const p of ['redirect_uri', 'decentralized_identifier', 'x509', 'X509_SAN_DNS', 'x509_san_uri', '', undefined, null, 1]) {
      expect(isX509Prefix(p), String(p)).toBe(false);
    }
  });
});

describe('isDnsName (RFC 1123 host names, what a dNSName SAN holds)', () => {
  const label = (n: number, c = 'a') => c.repeat(n);

  it('LDH labels: letters, digits, inner hyphens', () => {
    for (const name of ['localhost', 'kiosk.example', 'KIOSK.Example', 'a-b.example', '1a.example', 'a1', 'a.1', '1.example', 'a', 'x-1-y.z9']) {
      expect(isDnsName(name), name).toBe(true);
    }
  });

  it('a label neither starts nor ends with a hyphen, and is not empty', () => {
    for (const name of ['-a.example', 'a-.example', 'a.-b', 'a.b-', '-', 'a..b', '.a', 'a.', '.']) expect(isDnsName(name), name).toBe(false);
  });

  it('no other characters (underscore, space, star, non-ASCII, port)', () => {
    for (const name of ['a_b.example', 'a b.example', '*.example', 'ké.example', 'kiosk.example:443', 'a/b', 'kiosk.example\n']) {
      expect(isDnsName(name), JSON.stringify(name)).toBe(false);
    }
  });

  it('a label has at most 63 characters', () => {
    expect(isDnsName(`${label(63)}.example`)).toBe(true);
    expect(isDnsName(`${label(64)}.example`)).toBe(false);
    expect(isDnsName(label(63))).toBe(true);
    expect(isDnsName(label(64))).toBe(false);
  });

  it('the name has at most 253 characters: 253 accepted, 254 refused', () => {
    const at = [label(63), label(63), label(63), label(61)].join('.');
    expect(at).toHaveLength(253);
    expect(isDnsName(at)).toBe(true);
    const over = [label(63), label(63), label(63), label(62)].join('.');
    expect(over).toHaveLength(254);
    expect(isDnsName(over)).toBe(false);
  });

  it('empty, or only digits and dots (an IPv4 address), is not a DNS name', () => {
    for (const name of ['', '127.0.0.1', '10.0.0.1', '123', '1.2']) expect(isDnsName(name), name).toBe(false);
  });
});

describe('x509SanDnsClientId', () => {
  it('x509_san_dns:<name>, lower-cased', () => {
    expect(x509SanDnsClientId('Kiosk.EXAMPLE')).toBe('x509_san_dns:kiosk.example');
    expect(x509SanDnsClientId('localhost')).toBe('x509_san_dns:localhost');
  });

  it('a value that is not a DNS name is CLIENT_ID_MISMATCH, quoting it', () => {
    for (const v of ['127.0.0.1', '', 'a_b.example']) {
      const err = thrown(() => x509SanDnsClientId(v));
      expect(err).toBeInstanceOf(Oid4vpRuleError);
      expect(err).toMatchObject({ code: 'CLIENT_ID_MISMATCH', message: `x509_san_dns needs a DNS name, not ${JSON.stringify(v)}` });
    }
  });
});

describe('assertResponseUriOnHost (OpenID4VP 1.0 section 5.9.3: x509_san_dns and the response_uri host)', () => {
  it('the response_uri on the certified host is accepted, in any case, on any port and path', () => {
    expect(assertResponseUriOnHost('kiosk.example', 'https://kiosk.example/oid4vp/responses')).toBeUndefined();
    expect(assertResponseUriOnHost('KIOSK.Example', 'https://kiosk.example/r')).toBeUndefined();
    expect(assertResponseUriOnHost('kiosk.example', 'https://KIOSK.EXAMPLE:8443/r')).toBeUndefined();
  });

  it('another host (a sub-domain, a parent, a look-alike in the user info) is RESPONSE_URI_MISMATCH, naming both', () => {
    const cases: [string, string][] = [
      ['https://collector.example/r', 'collector.example'],
      ['https://a.kiosk.example/r', 'a.kiosk.example'],
      ['https://example/r', 'example'],
      ['https://kiosk.example@evil.example/r', 'evil.example'],
      ['https://kiosk.example.evil.example/r', 'kiosk.example.evil.example'],
    ];
    for (const [uri, host] of cases) {
      const err = thrown(() => assertResponseUriOnHost('kiosk.example', uri));
      expect(err).toBeInstanceOf(Oid4vpRuleError);
      expect(err, uri).toMatchObject({
        code: 'RESPONSE_URI_MISMATCH',
        message: `the response_uri host ${host} is not kiosk.example, the DNS name the client_id x509_san_dns:kiosk.example is certified for`,
      });
    }
  });

  it('a response_uri that is not a URL is OID4VP_REQUEST_INVALID', () => {
    for (const uri of ['not a url', '', '/relative/path']) {
      expect(
        thrown(() => assertResponseUriOnHost('kiosk.example', uri)),
        uri,
      ).toMatchObject({
        code: 'OID4VP_REQUEST_INVALID',
        message: 'response_uri is not a URL',
      });
    }
  });
});
