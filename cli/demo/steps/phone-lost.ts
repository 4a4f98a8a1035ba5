import { sampleIdentityClaims } from '../../../schemas/index.js';
import { syncWallet } from '../../../holder/sync/sync.js';
import { listCredentials } from '../../../holder/store/credentials.js';
import { acceptAtWallet, enrollAtStation, kioskScan, reportScan, showLiteQr, syncVerifier } from '../actions.js';
import type { Story } from '../report.js';
import type { DemoWallet, World } from '../world.js';

/** 5. The phone is lost: device-lost at the issuer, a new phone gets a new credential, the old one is refused and deleted. */
export async function stepPhoneLost(world: World, story: Story, oldPhone: DemoWallet): Promise<{ newPhone: DemoWallet; credentialId: string }> {
  const log = story.begin(5, 'phone-lost', 'Phone lost: device-lost at the issuer, new phone, old credential refused and deleted');
  world.net.setBlock(undefined);
  log.note('the network is back: the verifier is online again');
  const res = await world.issuerAdmin('POST', '/admin/device-lost', { holderDid: oldPhone.did });
  const revoked = (res.body.revoked as string[] | undefined) ?? [];
  log.note(`help desk: POST /admin/device-lost {holderDid: ${oldPhone.did.slice(0, 28)}...} -> HTTP ${res.status}`);
  log.check('credentials bound to the old device key revoked', 1, revoked.length);

  const newPhone = await world.newWallet('new-phone');
  log.note('the resident enrolls again at the station with the new phone');
  const offer = await enrollAtStation(world, log, sampleIdentityClaims());
  const credentialId = await acceptAtWallet(newPhone, log, offer);

  const report = await syncVerifier(world);
  log.note(`the verifier refreshes its bundle: ${report.statusLists} status list token(s)`);

  const oldQr = await showLiteQr(world, story, oldPhone, 'old-phone-qr');
  const oldScan = await kioskScan(world, oldQr.qr);
  log.note('someone shows the old phone (not synced since) at the kiosk');
  reportScan(log, oldScan, oldQr.presentation);
  log.check('old credential refused', 'STATUS_REVOKED', oldScan.result.valid ? 'valid' : oldScan.result.code);

  const sync = await syncWallet(oldPhone.wallet);
  log.note(`the old wallet syncs: ${sync.deleted.length} deleted, ${sync.valid.length} still valid, ${sync.errors.length} error(s)`);
  log.check('credentials left in the old wallet after its sync (the revoked one deleted)', 0, (await listCredentials(oldPhone.wallet)).length);

  const newQr = await showLiteQr(world, story, newPhone, 'new-phone-qr');
  const newScan = await kioskScan(world, newQr.qr);
  reportScan(log, newScan, newQr.presentation);
  log.check('new phone accepted', 'valid', newScan.result.valid ? 'valid' : newScan.result.code);
  return { newPhone, credentialId };
}
