import { sampleIdentityClaims } from '../../../schemas/index.js';
import { readCredential } from '../../../holder/store/credentials.js';
import { decodeSdJwt } from '../../../core/sd-jwt/decode.js';
import { acceptAtWallet, codeOf, enrollAtStation } from '../actions.js';
import { acceptOffer } from '../../../holder/oid4vci/index.js';
import type { Story } from '../report.js';
import type { DemoWallet, World } from '../world.js';

/** 1. Enrollment with chip+face evidence, an offer with a tx_code, the wallet accepts it over OpenID4VCI. */
export async function stepEnroll(world: World, story: Story): Promise<{ phone: DemoWallet; credentialId: string }> {
  const log = story.begin(1, 'enroll', 'Enrollment: chip + face, credential offer with tx_code, wallet accepts over OpenID4VCI');
  const claims = sampleIdentityClaims();
  const offer = await enrollAtStation(world, log, claims);
  const phone = await world.newWallet('phone');
  log.note(`the resident's wallet is locked by a PIN; unlocked for the issuance`);
  const credentialId = await acceptAtWallet(phone, log, offer);

  const { sdJwt } = await readCredential(phone.wallet, credentialId);
  const decoded = decodeSdJwt(sdJwt);
  const selective = decoded.disclosures.filter((d) => d.name !== undefined).map((d) => d.name!);
  log.note(`the credential has ${selective.length} disclosures, each revealed only if the wallet chooses to (address parts included): ${selective.join(', ')}`);
  log.check('credential issuer is the issuer DID', world.issuer.ctx.issuerDid, decoded.payload.iss);
  log.check('credential bound to the wallet key (cnf.jwk present)', true, typeof (decoded.payload.cnf as { jwk?: unknown } | undefined)?.jwk === 'object');
  log.check(
    'the pre-authorized code is single use (offer accepted again)',
    'OID4VCI_INVALID_GRANT',
    await codeOf(acceptOffer(phone.wallet, offer.offer, { txCode: offer.txCode })),
  );
  return { phone, credentialId };
}
