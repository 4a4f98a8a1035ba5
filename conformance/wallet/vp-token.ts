import { decodeCompact } from '../../core/index.js';

/**
 * Why a direct_post answer to the control is not a well-formed SD-JWT VC presentation for this
 * request, or undefined when it is: `vp_token` a JSON object from credential query ids to
 * non-empty arrays of presentations (OpenID4VP 1.0 section 8.1), each an SD-JWT whose KB-JWT
 * (typ kb+jwt) carries the request nonce and aud = client_id (section B.3.6), and `state` echoed.
 * The issuer's signature is not checked: the tool does not know the wallet's issuers.
 */
export function vpTokenProblem(
  fields: Record<string, string>,
  expected: { nonce: string; clientId: string; state: string; queryIds: readonly string[] },
): string | undefined {
  if (fields.response !== undefined && fields.vp_token === undefined) return 'an encrypted response (direct_post.jwt) to a direct_post request';
  if (fields.vp_token === undefined) return `no vp_token in the POST (fields: ${Object.keys(fields).join(', ') || 'none'})`;
  let token: unknown;
  try {
    token = JSON.parse(fields.vp_token);
  } catch {
    return 'vp_token is not a JSON object (OpenID4VP 1.0 section 8.1 with DCQL)';
  }
  if (!token || typeof token !== 'object' || Array.isArray(token)) return 'vp_token is not a JSON object keyed by credential query id';
  const byId = token as Record<string, unknown>;
  const answered = Object.keys(byId);
  const unknown = answered.filter((id) => !expected.queryIds.includes(id));
  if (unknown.length > 0) return `vp_token answers credential queries the request does not have: ${unknown.join(', ')}`;
  if (answered.length === 0) return 'vp_token answers no credential query';
  if (fields.state !== expected.state) return `state ${JSON.stringify(fields.state)} is not the request's`;
  for (const id of answered) {
    const list = byId[id];
    if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === 'string'))
      return `vp_token.${id} is not a non-empty array of presentations`;
    for (const presentation of list as string[]) {
      const parts = presentation.split('~');
      const kb = parts[parts.length - 1]!;
      if (parts.length < 2 || kb === '') return `vp_token.${id}: an SD-JWT without a KB-JWT (holder binding is required here)`;
      try {
        decodeCompact(parts[0]!);
        const { header, payload } = decodeCompact(kb);
        if (header.typ !== 'kb+jwt') return `vp_token.${id}: KB-JWT typ ${String(header.typ)}, not kb+jwt`;
        if (payload.nonce !== expected.nonce) return `vp_token.${id}: KB-JWT nonce ${JSON.stringify(payload.nonce)} is not the request nonce`;
        if (payload.aud !== expected.clientId) return `vp_token.${id}: KB-JWT aud ${JSON.stringify(payload.aud)} is not the client_id ${expected.clientId}`;
        if (typeof payload.sd_hash !== 'string') return `vp_token.${id}: KB-JWT has no sd_hash`;
      } catch (err) {
        return `vp_token.${id}: not an SD-JWT with a KB-JWT (${(err as Error).message})`;
      }
    }
  }
  return undefined;
}
