import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { didKeyFromJwk, keyObjectSigner, publicJwkOf } from '../../core/index.js';
import type { VerifierDidKey } from '../../verifier/index.js';

/** Listens on 127.0.0.1 port 0; returns the base URL and a close function. */
export async function listen(app: Express): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fresh did:key (Ed25519) with its signer, as a verifier's DID key. */
export function newDidKey(): VerifierDidKey & { privateKey: import('node:crypto').KeyObject } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const did = didKeyFromJwk(publicJwkOf(privateKey));
  return { did, signer: keyObjectSigner(privateKey, `${did}#${did.slice('did:key:'.length)}`), privateKey };
}

export function emptyApp(): Express {
  return express();
}
