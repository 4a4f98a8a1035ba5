import { NetcredError } from '../../core/errors.js';
import type { DcqlQuery } from '../../schemas/profiles/index.js';

export const MAX_VP_TOKEN_BYTES = 128 * 1024;

/** A `vp_token` that cannot be read: MALFORMED, the verdict the response endpoint records. */
export class VpTokenError extends NetcredError {
  declare readonly code: 'MALFORMED';
  constructor(message: string) {
    super('MALFORMED', message);
  }
}

/**
 * Parses `vp_token` as OpenID4VP 1.0 section 8.1 defines it for DCQL: a JSON object from
 * credential query id to a non-empty array of presentations (SD-JWT+KB strings here). Keys the
 * query did not ask for, a missing credential query, or several presentations where `multiple`
 * is not set are refused.
 */
export function parseVpToken(raw: unknown, query: DcqlQuery): Map<string, string[]> {
  if (typeof raw !== 'string' || raw.length === 0) throw new VpTokenError('vp_token is missing');
  if (Buffer.byteLength(raw, 'utf8') > MAX_VP_TOKEN_BYTES) throw new VpTokenError(`vp_token exceeds ${MAX_VP_TOKEN_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new VpTokenError('vp_token is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new VpTokenError('vp_token must be a JSON object keyed by credential query id');
  const byId = new Map(query.credentials.map((c) => [c.id, c]));
  const out = new Map<string, string[]>();
  for (const [id, list] of Object.entries(value as Record<string, unknown>)) {
    const cq = byId.get(id);
    if (!cq) throw new VpTokenError(`vp_token has a presentation for ${JSON.stringify(id)}, which the query did not ask for`);
    if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== 'string' || p.length === 0)) {
      throw new VpTokenError(`vp_token[${id}] must be a non-empty array of presentations`);
    }
    if (list.length > 1 && cq.multiple !== true) throw new VpTokenError(`vp_token[${id}] has ${list.length} presentations; the query asked for one`);
    out.set(id, list as string[]);
  }
  for (const id of byId.keys()) if (!out.has(id)) throw new VpTokenError(`vp_token has no presentation for credential query ${id}`);
  return out;
}

/** The KB-JWT of an SD-JWT+KB: what follows the last `~` (empty when there is none). */
export function kbJwtOf(presentation: string): string {
  return presentation.slice(presentation.lastIndexOf('~') + 1);
}
