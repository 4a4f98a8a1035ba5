import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { didKeyFromJwk, publicJwkOf, type PublicJwk } from '../../core/index.js';
import type { IssuerContext } from '../../issuer/index.js';

export type Holder = { did: string; jwk: PublicJwk; privateKey: KeyObject };

export function newHolder(kind: 'ed25519' | 'p256' = 'ed25519'): Holder {
  const { privateKey } = kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicJwkOf(privateKey);
  return { did: didKeyFromJwk(jwk), jwk, privateKey };
}

export async function countRecords(ctx: IssuerContext): Promise<number> {
  const rows = (await ctx.dataSource.query('SELECT COUNT(*) AS n FROM "issuance_record"')) as { n: number }[];
  return Number(rows[0]!.n);
}
