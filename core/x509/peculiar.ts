import { webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';

type Peculiar = typeof import('@peculiar/x509');
let loaded: Peculiar | undefined;

/**
 * @peculiar/x509, loaded on first use: it takes about half a second to load (tsyringe,
 * reflect-metadata, ASN.1 schemas), and core/index.ts, which every role and CLI command loads,
 * must stay cheap when no certificate is read or made. reflect-metadata goes first (its
 * dependency injection needs it); its crypto is node:crypto's WebCrypto.
 */
export function peculiar(): Peculiar {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    require('reflect-metadata');
    const lib = require('@peculiar/x509') as Peculiar;
    lib.cryptoProvider.set(webcrypto as unknown as Parameters<typeof lib.cryptoProvider.set>[0]);
    loaded = lib;
  }
  return loaded;
}
