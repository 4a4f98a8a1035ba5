import type { Story } from '../../report.js';
import type { World } from '../../world.js';
import { jsonOf, type Exchange } from './wire.js';

/** Sends a recorded request again, byte for byte (what an eavesdropper who copied it would do). */
async function replay(e: Exchange): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(e.url, { method: e.method, headers: e.requestHeaders, ...(e.requestBody === undefined ? {} : { body: e.requestBody }) });
  return { status: res.status, body: jsonOf(await res.text()) };
}

const said = (r: { status: number; body: Record<string, unknown> }) =>
  `HTTP ${r.status} ${String(r.body.error ?? '')}${r.body.code ? ` (${String(r.body.code)})` : ''}: ${String(r.body.error_description ?? '')}`;

/**
 * 5. Replays are refused: the wallet's encrypted answer posted a second time (the request's state
 * is answered once), and the wallet's token request replayed at the issuer with its DPoP proof
 * (a proof's jti is accepted once, RFC 9449 11.1).
 */
export async function stepHaipReplays(
  world: World,
  story: Story,
  captured: { response: Exchange | undefined; requestId: string; tokenRequest: Exchange | undefined },
): Promise<void> {
  const log = story.begin(5, 'replays', 'Replays refused: the same encrypted answer posted twice, a captured DPoP proof sent again');
  if (captured.response) {
    const again = await replay(captured.response);
    log.note(`someone posts the same response=<JWE> to ${captured.response.url.pathname} again: ${said(again)}`);
    log.check(
      'the same encrypted answer posted a second time',
      'refused: a response for this state was already received',
      again.status === 400 ? `refused: ${String(again.body.error_description)}` : said(again),
    );
    const verdict = world.verifier.oid4vp.store.byId(captured.requestId)?.verdict;
    log.check('the verdict of the request stays as first decided', 'valid', verdict?.status ?? 'none');
  } else {
    log.check('the encrypted answer was recorded', true, false);
  }

  world.net.setBlock(undefined);
  log.note('the offline period is over: the network reaches the issuer again');
  if (captured.tokenRequest) {
    const again = await replay(captured.tokenRequest);
    log.note(`an eavesdropper replays the wallet's token request (the same code, code_verifier and DPoP proof): ${said(again)}`);
    log.check(
      'a replayed DPoP proof is refused (its jti was already used)',
      'invalid_dpop_proof OID4VCI_INVALID_DPOP_PROOF',
      `${String(again.body.error)} ${String(again.body.code)}`,
      again.body.error === 'invalid_dpop_proof' && /jti was already used/.test(String(again.body.error_description)),
    );
  } else {
    log.check('the token request was recorded', true, false);
  }
}
