import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { respondToRequest } from '../../../holder/oid4vp/index.js';
import { profileClaimPaths } from '../../../schemas/index.js';
import { requestQrPng, requestQrTerminal } from '../../../verifier/oid4vp/index.js';
import { disclosedClaims, names } from '../disclosed.js';
import type { Story } from '../report.js';
import { fileNote, type DemoWallet, type World } from '../world.js';
import { reportOfflineVerdict } from '../actions.js';

const UPGRADED = profileClaimPaths('upgraded')
  .map((p) => String(p[0]))
  .sort();

/** 4. upgraded: the verifier shows an OpenID4VP request, the wallet answers with exactly the profile's claims. */
export async function stepUpgraded(world: World, story: Story, phone: DemoWallet, offlineSince: number): Promise<void> {
  const log = story.begin(4, 'upgraded', 'upgraded: the verifier shows an OpenID4VP request, the wallet answers, the verdict appears');
  const request = await world.verifier.oid4vp.createRequest({ profile: 'upgraded' });
  const png = path.join(world.root, 'openid4vp-request.png');
  writeFileSync(png, await requestQrPng(request.uri));
  log.note(`the verifier shows an OpenID4VP request (nonce ${request.nonce.slice(0, 10)}..., client_id ${request.clientId.slice(0, 40)}...)`);
  story.raw(`   request QR written to ${fileNote(world, png)}: ${request.uri.slice(0, 80)}...`);
  if (world.showQr) story.raw(await requestQrTerminal(request.uri));

  let shownToHolder: string[] = [];
  const checksBefore = world.verifier.verifyConnections.length;
  const answer = await respondToRequest(phone.wallet, request.uri, {
    confirm: ({ plan }) => {
      shownToHolder = plan.flatMap((p) => p.disclosed.map((d) => String(d.path[0])));
      return true;
    },
  });
  log.note(`the wallet asked the resident to confirm disclosing: ${[...new Set(shownToHolder)].join(', ')}`);
  const presentation = Object.values(answer.vpToken)[0]?.[0] ?? '';
  const disclosed = disclosedClaims(presentation);
  log.disclosed(disclosed, request.clientId);
  log.check('disclosed exactly the upgraded profile', UPGRADED, names(disclosed));

  reportOfflineVerdict(world, log, request.id, checksBefore, offlineSince, ' (steps 3-4)');
}
