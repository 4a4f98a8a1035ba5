import { connectIssuerCache, type IssuerContext } from '../../issuer/index.js';

/** The environment variable naming the shared cache when --cache is not given (the verifier reads it too). */
export const ISSUER_CACHE_URL_ENV = 'NETCRED_CACHE_URL';

/**
 * --cache (or $NETCRED_CACHE_URL): the OpenID4VCI pre-authorized codes, tx_code attempts, access
 * tokens, c_nonces and DPoP / attestation jtis live in Redis, shared by every issuer node on it.
 * Returns the banner line, or undefined without a cache. The state closes with the issuer.
 */
export async function attachIssuerCache(ctx: IssuerContext, opts: { cache?: string; cachePrefix?: string }): Promise<string | undefined> {
  const url = opts.cache ?? (process.env[ISSUER_CACHE_URL_ENV] || undefined);
  if (!url) return undefined;
  const { url: shown, prefix, connected } = await connectIssuerCache(ctx, { url, prefix: opts.cachePrefix });
  return `shared cache ${shown} (prefix ${prefix})${connected ? '' : ': not reachable yet, OpenID4VCI answers 503 until it is'}`;
}
