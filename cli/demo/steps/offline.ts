import { syncVerifier, codeOf } from '../actions.js';
import { isIssuer, type World } from '../world.js';
import type { Story } from '../report.js';
import { syncIssuer } from '../../../verifier/trust/sync.js';
import { emptyTrustBundle } from '../../../verifier/trust/bundle.js';

/** 2. The verifier syncs its trust bundle, then goes offline. */
export async function stepSyncOffline(world: World, story: Story): Promise<void> {
  const log = story.begin(2, 'sync-offline', 'Verifier syncs its trust bundle, then goes offline');
  const before = world.issuer.requests();
  const report = await syncVerifier(world);
  log.note(
    `synced ${report.issuer}: types ${report.vct.join(', ')}; ${report.statusLists} status list token(s), ${report.bitstringLists} W3C bitstring list(s)`,
  );
  log.note(`bundle written to ${world.verifier.bundleFile}`);
  log.note(`the sync made ${world.issuer.requests() - before} requests to the issuer (discovery, type metadata, aggregation, lists)`);
  log.check('the sync fetched from the issuer', true, world.issuer.requests() > before);
  log.check('the kiosk trusts the issuer', true, world.verifier.kiosk.trust.issuerIds().includes(world.issuer.ctx.issuerDid));

  // Offline from here until the phone-lost step: every connection to the issuer is refused, and
  // the idle keep-alive sockets are closed so no pooled connection can slip through.
  world.issuer.server.server.closeIdleConnections();
  world.net.setBlock((d) => isIssuer(world, d));
  log.note('the verifier is now offline: connections to the issuer are refused until step 5');
  log.check('a sync attempt now fails', 'SYNC_FAILED', await codeOf(syncIssuer(emptyTrustBundle(), world.issuer.url, { timeoutMs: 2000 })));
}
