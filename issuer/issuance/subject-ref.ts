import { createHmac } from 'node:crypto';
import type { IssuerContext } from '../context.js';

/**
 * A stable, keyed reference to a person: HMAC-SHA256 of the id_number under a key derived
 * from the issuer secret. It links a re-issue to earlier credentials without storing the
 * number; without the secret it cannot be reversed by trying every possible number.
 */
export function subjectRef(ctx: Pick<IssuerContext, 'deriveKey'>, idNumber: string): string {
  return createHmac('sha256', ctx.deriveKey('subject-ref')).update(idNumber, 'utf8').digest('base64url');
}
