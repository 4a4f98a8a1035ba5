import { expect } from 'vitest';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { TEST_ISSUER_ADMIN_TOKEN, type TestIssuer } from '../helpers/issuer.js';
import { enroll, enrollmentBody } from './helpers.js';

let birth = 0;

/** A distinct resident per enrollment, so no re-issue supersedes another test's credential. */
export function nextClaims(): ReturnType<typeof sampleIdentityClaims> {
  birth++;
  return sampleIdentityClaims({ birthdate: `19${50 + (birth % 45)}-0${1 + (birth % 9)}-1${birth % 9}` });
}

export type CodeOffer = { offerId: string; offer: string; issuerState: string };

/** POST /admin/enrollments asking for an offer with the authorization_code grant. */
export async function enrollForCode(issuer: TestIssuer, grant: 'authorization_code' | 'both' = 'authorization_code'): Promise<CodeOffer> {
  const res = await enroll(issuer.url, enrollmentBody(nextClaims(), { grant }));
  expect(res.status).toBe(201);
  const body = (await res.json()) as { offerId: string; offer: string };
  const offer = JSON.parse(new URL(body.offer).searchParams.get('credential_offer')!) as { grants: Record<string, { issuer_state?: string }> };
  return { offerId: body.offerId, offer: body.offer, issuerState: offer.grants.authorization_code!.issuer_state! };
}

/** The admin decision (POST /admin/authorizations/{id}/approve|deny). */
export async function decide(issuer: TestIssuer, id: string, action: 'approve' | 'deny', body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${TEST_ISSUER_ADMIN_TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${issuer.url}/admin/authorizations/${id}/${action}`, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export type OpenedPage = { id: string; cookie: string; next: string };

/** The resident's browser opens the authorization URL: the waiting page, its session cookie and where it reloads. */
export async function openAuthorizationPage(url: string): Promise<OpenedPage> {
  const res = await fetch(url, { redirect: 'manual' });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const id = /data-authorization="([0-9A-Z-]+)"/.exec(text)![1]!;
  const refresh = /url=(\S+)$/.exec(res.headers.get('refresh') ?? '')![1]!;
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { id, cookie, next: new URL(refresh, url).href };
}

/** The page reloads: 200 while waiting, then a 303 to the client's redirect_uri. */
export async function reloadAuthorizationPage(page: OpenedPage): Promise<Response> {
  return fetch(page.next, { redirect: 'manual', headers: { cookie: page.cookie } });
}

/** Browser + enrollment point: opens the page, the officer approves it (for `enrollment`, or by the issuer_state), follows the redirect. */
export function approvingBrowser(issuer: TestIssuer, enrollment?: string): (url: string) => Promise<string> {
  return async (url) => {
    const page = await openAuthorizationPage(url);
    const waiting = await reloadAuthorizationPage(page);
    expect(waiting.status).toBe(200);
    const ok = await decide(issuer, page.id, 'approve', enrollment === undefined ? undefined : { enrollment });
    expect(ok.status, await ok.clone().text()).toBe(200);
    const back = await reloadAuthorizationPage(page);
    expect(back.status).toBe(303);
    return back.headers.get('location')!;
  };
}
