import type { IssuerContext } from '../../issuer/context.js';
import { freePort, startIssuer as startTestIssuer, TEST_ISSUER_ADMIN_TOKEN, type TestIssuer } from '../helpers/issuer.js';

export const ADMIN_TOKEN = TEST_ISSUER_ADMIN_TOKEN;
export const TEST_SECRET = 'test-secret-for-oid4vci-0123456789abcdef';

export { freePort, type TestIssuer };

/** A real issuer: data dir in a temp folder, SQLite file, HTTP server on 127.0.0.1. */
export function startIssuer(options: { alg?: 'EdDSA' | 'ES256' } = {}): Promise<TestIssuer> {
  return startTestIssuer({ adminToken: ADMIN_TOKEN, secret: TEST_SECRET, alg: options.alg ?? 'EdDSA', tmpPrefix: 'netcred-oid4vci-' });
}

export function enrollmentBody(claims: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { claims, evidence: { method: 'chip+face', station: 'station-01', time: new Date().toISOString() }, ...extra };
}

/** POST /admin/enrollments with the admin token. */
export async function enroll(url: string, body: unknown, token = ADMIN_TOKEN): Promise<Response> {
  return fetch(`${url}/admin/enrollments`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export async function tokenRequest(url: string, params: Record<string, string>): Promise<Response> {
  return fetch(`${url}/oid4vci/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
}

export function preAuthCodeOf(offer: string): string {
  const o = JSON.parse(new URL(offer).searchParams.get('credential_offer')!) as { grants: Record<string, { 'pre-authorized_code': string }> };
  return o.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'];
}

export async function countRows(ctx: IssuerContext, table: string): Promise<number> {
  const rows = (await ctx.dataSource.query(`SELECT COUNT(*) AS n FROM "${table}"`)) as { n: number }[];
  return Number(rows[0]!.n);
}
