import { randomBytes } from 'node:crypto';
import { profileClaimPaths, RESIDENT_IDENTITY_LITE_VCT } from '../../../schemas/index.js';
import { createPresentation } from '../../../holder/present/create.js';
import { codeOf, kioskScan, reportScan, showLiteQr } from '../actions.js';
import { disclosedClaims, names } from '../disclosed.js';
import type { Story } from '../report.js';
import { KIOSK_ID, type DemoWallet, type World } from '../world.js';

const LITE = profileClaimPaths('lite')
  .map((p) => String(p[0]))
  .sort();

/** 3. lite: a one-way QR, decoded and verified offline by the kiosk; the same QR again is a replay. */
export async function stepLite(world: World, story: Story, phone: DemoWallet): Promise<void> {
  const log = story.begin(3, 'lite', 'lite: "I am me" as a one-way QR, verified offline; the same QR again is refused');
  phone.wallet.lock();
  log.check(
    'a locked wallet presents nothing',
    'WALLET_LOCKED',
    await codeOf(createPresentation(phone.wallet, { profile: 'lite', aud: KIOSK_ID, nonce: randomBytes(16).toString('base64url') })),
  );
  await phone.wallet.unlock(world.pin);
  log.note('the resident unlocks the wallet with the PIN');

  const shown = await showLiteQr(world, story, phone, 'lite-qr', true);
  log.check('disclosed exactly the lite profile', LITE, names(disclosedClaims(shown.presentation)));
  log.check(
    "the QR is the lite companion's, version 20 or lower at error correction M (a camera reads it at once)",
    true,
    shown.vct === RESIDENT_IDENTITY_LITE_VCT && shown.version <= 20,
  );
  const scan = await kioskScan(world, shown.qr);
  reportScan(log, scan, shown.presentation);
  log.check('kiosk verdict', 'valid', scan.result.valid ? 'valid' : scan.result.code);
  log.check('connections opened while decoding and verifying', 0, scan.connections);

  const again = await kioskScan(world, shown.qr);
  log.note('the same QR is scanned a second time (a photo of the screen, say)');
  log.verdict({ valid: again.result.valid, code: again.result.code, message: again.result.message }, 'kiosk');
  log.check('second scan refused', 'KB_JWT_REPLAYED', again.result.valid ? 'valid' : again.result.code);
}
