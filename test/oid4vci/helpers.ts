import type { IssuerContext } from '../../issuer/index.js';
import { TEST_ISSUER_ADMIN_TOKEN } from '../helpers/issuer.js';

export function enrollmentBody(claims: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { claims, evidence: { method: 'chip+face', station: 'station-01', time: new Date().toISOString() }, ...extra };
}

/** POST /admin/enrollments with the admin token. */
export async function enroll(url: string, body: unknown, token = TEST_ISSUER_ADMIN_TOKEN): Promise<Response> {
  return fetch(`${url}/admin/enrollments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export async function tokenRequest(url: string, params: Record<string, string>): Promise<Response> {
  return fetch(`${url}/oid4vci/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
}

export function preAuthCodeOf(offer: string): string {
  const o = JSON.parse(new URL(offer).searchParams.get('credential_offer')!) as { grants: Record<string, { 'pre-authorized_code': string }> };
  return o.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'];
}

export async function countRows(ctx: IssuerContext, table: string): Promise<number> {
  const rows = (await ctx.dataSource.query(`SELECT COUNT(*) AS n FROM "${table}"`)) as { n: number }[];
  return Number(rows[0]!.n);
}
