import express from 'express';
import { acceptOffer, importCredential, initWallet, type Wallet } from '../../holder/index.js';
import { issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import {
  addDidIssuer,
  createOid4vpRouter,
  createVerifier,
  emptyTrustBundle,
  pipelineVerifier,
  TrustStore,
  type Oid4vpRouter,
  type StatusListEntry,
  type Verifier,
  type VerifierDidKey,
} from '../../verifier/index.js';
import { TEST_ISSUER_ADMIN_TOKEN, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { listen } from './helpers.js';

export const VERIFIER_ADMIN = 'oid4vp-test-verifier-admin-0123456789';
export const PIN = '482915';

export type TestWallet = { wallet: Wallet; dataDir: string; close(): Promise<void> };

/**
 * A real wallet (SQLite in a temp dir) holding one identity credential from the real issuer:
 * minted for the wallet's own DID and imported with the wallet's checks, or with `oid4vci`
 * obtained over the issuer's OpenID4VCI endpoints (enrollment offer, then acceptOffer).
 */
export async function walletWithCredential(
  issuer: TestIssuer,
  options: { claims?: ReturnType<typeof sampleIdentityClaims>; oid4vci?: boolean } = {},
): Promise<TestWallet> {
  const claims = options.claims ?? sampleIdentityClaims();
  const tmp = tempDir('netcred-oid4vp-wallet-');
  const { wallet } = await initWallet(tmp.dir, PIN, { kdf: { N: 1024, r: 8, p: 1 } });
  if (options.oid4vci) {
    const res = await fetch(`${issuer.url}/admin/enrollments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ISSUER_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ claims, evidence: { method: 'chip+face', station: 'station-01', time: new Date().toISOString() } }),
    });
    if (!res.ok) throw new Error(`enrollment failed: ${res.status} ${await res.text()}`);
    const { offer } = (await res.json()) as { offer: string };
    await acceptOffer(wallet, offer);
  } else {
    const key = await wallet.defaultKey();
    const issued = await issueCredential(issuer.ctx, { holderDid: key.did, claims });
    await importCredential(wallet, issued.credential);
  }
  return {
    wallet,
    dataDir: tmp.dir,
    async close() {
      await wallet.close();
      tmp.cleanup();
    },
  };
}

/** The verifier's trust: the issuer DID (offline, did:key) and its status lists fetched once from the issuer, as a sync would. */
export async function trustFor(issuer: TestIssuer): Promise<TrustStore> {
  let bundle = addDidIssuer(emptyTrustBundle(), issuer.ctx.issuerDid);
  const agg = (await (await fetch(`${issuer.url}/status/aggregation`)).json()) as { status_lists: string[] };
  const statusLists: StatusListEntry[] = [];
  for (const uri of agg.status_lists) {
    const jwt = await (await fetch(uri)).text();
    statusLists.push({ uri, kind: 'token', issuer: issuer.ctx.issuerDid, jwt, fetchedAt: new Date().toISOString() });
  }
  bundle = { ...bundle, statusLists };
  return new TrustStore(bundle);
}

export type TestVerifierApp = { url: string; verifier: Verifier; oid4vp: Oid4vpRouter; close(): Promise<void> };

/** A verifier app: the offline pipeline behind the OpenID4VP routes, on 127.0.0.1. */
export async function startVerifierApp(
  trust: TrustStore,
  options: { didKey?: VerifierDidKey; ttlSeconds?: number; now?: () => number } = {},
): Promise<TestVerifierApp> {
  const verifier = createVerifier({ trust });
  let url = '';
  const oid4vp = createOid4vpRouter({ baseUrl: () => url, adminToken: VERIFIER_ADMIN, verify: pipelineVerifier(verifier), ...options });
  const app = express();
  app.use(oid4vp.router);
  const srv = await listen(app);
  url = srv.url;
  return { url, verifier, oid4vp, close: srv.close };
}

/** POST /oid4vp/requests as the kiosk (admin). */
export async function createRequest(url: string, body: Record<string, unknown>): Promise<Record<string, string>> {
  const res = await fetch(`${url}/oid4vp/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${VERIFIER_ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`create request: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

export async function verdictOf(created: Record<string, string>): Promise<Record<string, unknown>> {
  return (await (await fetch(created.verdict_uri!, { headers: { authorization: `Bearer ${VERIFIER_ADMIN}` } })).json()) as Record<string, unknown>;
}

export async function postResponse(responseUri: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(responseUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
