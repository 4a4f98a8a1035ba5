import type { InlineCommit } from '../issuance/index.js';
import { inlineParams } from '../store/inline-sql.js';

/**
 * What a credential request spends, as SQL for the one-exec group commit on SQLite (the same
 * steps as its beforeCommit: takeNonce, consumeAccessToken, markIssuedIfOpen in store.ts). The
 * condition is checked under the write lock in the batch's first statement: the offer still
 * open, the token still unused, unrevoked and unexpired, no nonce already used (token and
 * nonces are left out when the shared state, Redis, spent them). A nonce is then inserted without OR
 * IGNORE (a use that slipped in would fail the exec), and the batch refuses a token or nonce
 * spent twice in it (keys): the exec then fails or is not tried, and the batch is written
 * again statement by statement, where the request that lost is refused alone.
 */
export function credentialSpendSql(spend: {
  tokenHash?: string;
  nonces: { hash: string; expiresAt: number }[];
  offerId: string;
  now: number;
}): (ids: string[]) => InlineCommit {
  return (ids) => {
    const require: string[] = [
      inlineParams(`EXISTS (SELECT 1 FROM "oid4vci_offer" WHERE "id" = ? AND "state" IN ('pending','redeemed') AND "claims_sealed" IS NOT NULL)`, [
        spend.offerId,
      ]),
    ];
    const statements: string[] = [];
    const keys: string[] = [];
    if (spend.tokenHash !== undefined) {
      require.push(
        inlineParams(
          `EXISTS (SELECT 1 FROM "oid4vci_access_token" WHERE "token_hash" = ? AND "used_at" IS NULL AND "revoked_at" IS NULL AND "expires_at" > ?)`,
          [spend.tokenHash, spend.now],
        ),
      );
      statements.push(inlineParams(`UPDATE "oid4vci_access_token" SET "used_at" = ? WHERE "token_hash" = ?`, [spend.now, spend.tokenHash]));
      keys.push(`token:${spend.tokenHash}`);
    }
    for (const n of spend.nonces) {
      require.push(inlineParams(`NOT EXISTS (SELECT 1 FROM "oid4vci_nonce" WHERE "nonce_hash" = ?)`, [n.hash]));
      statements.push(inlineParams(`INSERT INTO "oid4vci_nonce" ("nonce_hash","expires_at") VALUES (?,?)`, [n.hash, n.expiresAt]));
      keys.push(`nonce:${n.hash}`);
    }
    statements.push(
      inlineParams(`UPDATE "oid4vci_offer" SET "state" = 'issued', "issued_at" = ?, "claims_sealed" = NULL, "credential_ids" = ? WHERE "id" = ?`, [
        spend.now,
        JSON.stringify(ids),
        spend.offerId,
      ]),
    );
    keys.push(`offer:${spend.offerId}`);
    return { require: require.join(' AND '), statements, keys };
  };
}
