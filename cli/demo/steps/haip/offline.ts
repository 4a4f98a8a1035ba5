import { issuerCertificateChain } from '../../../../issuer/index.js';
import { addX509Roots, emptyTrustBundle, loadTrustBundle, readTrustBundle, syncIssuer, writeTrustBundle } from '../../../../verifier/index.js';
import { codeOf, DemoError, syncVerifier } from '../../actions.js';
import type { Story } from '../../report.js';
import { isIssuer, type World } from '../../world.js';

/**
 * 3. The verifier, with its own development X.509 chain (x509_san_dns client id), syncs its
 * trust bundle (the issuer's JWT VC Issuer Metadata, its status lists), adds the issuer's root
 * certificate (`verifier trust add-cert`), and goes offline.
 */
export async function stepHaipSyncOffline(world: World, story: Story): Promise<void> {
  const log = story.begin(3, 'sync-offline', 'The verifier (its own X.509 chain, x509_san_dns) syncs its trust bundle, trusts the issuer root, goes offline');
  const pki = world.verifier.x509;
  if (!pki) throw new DemoError('INTERNAL', 'the verifier has no X.509 identity');
  log.note(`verifier: netcred verifier cert --dns localhost --name "${pki.name}" -> ${pki.caFile}, chain.pem, key.pem (0600)`);
  log.note(`verifier: netcred verifier serve --x509-cert chain.pem --x509-key key.pem --client-id ${pki.clientId} on ${world.verifier.url}`);
  log.note('(HAIP 1.0 verifiers use --client-id x509_hash, the hash of the same certificate; x509_san_dns, shown here, names its DNS name)');

  const before = world.issuer.requests();
  const report = await syncVerifier(world);
  const bundle = readTrustBundle(world.verifier.bundleFile);
  const entry = bundle.issuers.find((i) => i.id === world.issuer.ctx.issuerId);
  log.note(
    `synced ${report.issuer} in ${world.issuer.requests() - before} requests: types ${report.vct.join(', ')}; ${report.statusLists} status list token(s)`,
  );
  log.note(
    `JWT VC Issuer Metadata from ${entry?.jwtVcIssuer?.uri ?? '(none)'}: issuer ${entry?.jwtVcIssuer?.issuer ?? '?'}, ${entry?.jwks?.keys.length ?? 0} key(s)`,
  );
  log.check('the metadata names the issuer identifier exactly (issuer = iss)', world.issuer.ctx.issuerId, entry?.jwtVcIssuer?.issuer ?? 'no metadata');

  // The issuer operator hands over its root (`netcred issuer cert --show > root.pem`); the verifier adds it.
  const root = issuerCertificateChain(world.issuer.ctx)?.root;
  if (!root) throw new DemoError('INTERNAL', 'the issuer chain holds no root');
  const { bundle: withRoot, added } = addX509Roots(bundle, root.toString());
  writeTrustBundle(world.verifier.bundleFile, withRoot);
  world.verifier.kiosk.setTrust(loadTrustBundle(world.verifier.bundleFile));
  log.note(`netcred verifier trust add-cert root.pem: ${added.map((a) => `${a.subject} (SHA-256 ${a.sha256.slice(0, 23)}...)`).join(', ')}`);
  log.check('X.509 roots in the trust bundle', 1, world.verifier.kiosk.trust.x509Roots().length);
  log.check('the verifier trusts the issuer', true, world.verifier.kiosk.trust.issuerIds().includes(world.issuer.ctx.issuerId));

  world.issuer.server.server.closeIdleConnections();
  world.net.setBlock((d) => isIssuer(world, d));
  log.note('the verifier is now offline: connections to the issuer are refused until the last step');
  log.check('a sync attempt now fails', 'SYNC_FAILED', await codeOf(syncIssuer(emptyTrustBundle(), world.issuer.url, { timeoutMs: 2000 })));
}
