import type { IssuerContext } from '../../context.js';
import { databaseState } from './database.js';
import type { Oid4vciState, SharedOid4vciState } from './types.js';

export { IssuerCacheUnavailableError, type Oid4vciState, type Oid4vciStateHealth, type SharedAccessToken, type SharedOid4vciState } from './types.js';

const shared = new WeakMap<IssuerContext, SharedOid4vciState>();

/** Makes the OpenID4VCI endpoints of this issuer keep their short-lived state in `state` (issuer serve --cache). */
export function useSharedState(ctx: IssuerContext, state: SharedOid4vciState): void {
  shared.set(ctx, state);
}

/** The Redis state of this issuer, when it has one. */
export function sharedStateOf(ctx: IssuerContext): SharedOid4vciState | undefined {
  return shared.get(ctx);
}

/** The state this issuer's OpenID4VCI endpoints use: the shared one, or the store's tables. */
export function oid4vciStateOf(ctx: IssuerContext): Oid4vciState {
  return shared.get(ctx) ?? databaseState(ctx.dataSource);
}
