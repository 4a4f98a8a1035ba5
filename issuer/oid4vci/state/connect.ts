import type { IssuerContext } from '../../context.js';
import { useSharedState } from './index.js';
import { RedisOid4vciState } from './redis.js';

/**
 * Connects this issuer's OpenID4VCI endpoints to a shared Redis (issuer serve --cache): from now
 * on their codes, tokens, nonces and jtis live there. The connection closes with the issuer
 * (ctx.close). Not reachable yet: every OpenID4VCI call that needs it is CACHE_UNAVAILABLE
 * until it is (it reconnects by itself).
 */
export async function connectIssuerCache(
  ctx: IssuerContext,
  options: { url: string; prefix?: string; log?: (line: string) => void },
): Promise<{ url: string; prefix: string; connected: boolean }> {
  const { state, connected, url } = await RedisOid4vciState.connect(options);
  useSharedState(ctx, state);
  const close = ctx.close.bind(ctx);
  ctx.close = async () => {
    await state.close();
    await close();
  };
  return { url, prefix: state.prefix, connected };
}
