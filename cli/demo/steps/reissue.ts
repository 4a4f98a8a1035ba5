import { sampleIdentityClaims } from '../../../schemas/index.js';
import { syncWallet } from '../../../holder/sync/sync.js';
import { listCredentials } from '../../../holder/store/credentials.js';
import { acceptAtWallet, enrollAtStation, kioskScan, reportScan, showLiteQr, syncVerifier } from '../actions.js';
import type { Story } from '../report.js';
import type { DemoWallet, World } from '../world.js';

/** 6. Re-issuing (the resident moved) revokes the previous credential at once. */
export async function stepReissue(world: World, story: Story, phone: DemoWallet, previousId: string): Promise<void> {
  const log = story.begin(6, 're-issue', 'Re-issue: a new credential (new address) revokes the previous one');
  const moved = sampleIdentityClaims({
    address: { formatted: '浙江省衢州市柯城区新桥街2号', region: '浙江省', locality: '衢州市', street_address: '柯城区新桥街2号', postal_code: '324000' },
  });
  const offer = await enrollAtStation(world, log, moved);
  const currentId = await acceptAtWallet(phone, log, offer);
  const audit = await world.issuerAdmin('GET', '/admin/audit');
  const entries = (audit.body.entries as { to: string; reason: string; credentialId: string }[] | undefined) ?? [];
  const superseded = entries.filter((e) => e.reason === 'superseded');
  log.note(`issuer audit log: ${entries.map((e) => `${e.credentialId} -> ${e.to} (${e.reason})`).join('; ')}`);
  log.check(
    'the audit names the previous credential by the id its wallet shows',
    true,
    superseded.some((e) => e.credentialId === previousId),
  );
  log.check('the previous credential was revoked as superseded in the issuance transaction', 1, superseded.length);

  const report = await syncVerifier(world);
  log.note(`the verifier refreshes its bundle: ${report.statusLists} status list token(s)`);

  const own = await showLiteQr(world, story, phone, 'reissued-before-sync-qr');
  log.check('before any sync, the wallet offers the newest of its two credentials', currentId, own.credentialId);
  const stale = await showLiteQr(world, story, phone, 'previous-credential-qr', false, previousId);
  log.note(`the holder picks the previous credential explicitly (wallet present --credential ${previousId})`);
  const staleScan = await kioskScan(world, stale.qr);
  reportScan(log, staleScan, stale.presentation);
  log.check(
    'previous credential refused',
    'STATUS_REVOKED',
    staleScan.result.valid ? 'valid' : staleScan.result.code,
    stale.credentialId === previousId && staleScan.result.code === 'STATUS_REVOKED',
  );

  const sync = await syncWallet(phone.wallet);
  const left = (await listCredentials(phone.wallet)).map((c) => c.id);
  log.note(`the wallet syncs: ${sync.deleted.length} deleted, ${sync.valid.length} valid`);
  log.check('the wallet keeps only the re-issued credential', [currentId], left);

  const fresh = await showLiteQr(world, story, phone, 'reissued-credential-qr');
  const freshScan = await kioskScan(world, fresh.qr);
  reportScan(log, freshScan, fresh.presentation);
  log.check('re-issued credential accepted', 'valid', freshScan.result.valid ? 'valid' : freshScan.result.code);
}
