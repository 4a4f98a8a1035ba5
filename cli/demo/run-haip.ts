import { isNetcredError } from '../../core/errors.js';
import { DemoError } from './actions.js';
import { Story } from './report.js';
import type { DemoOptions, DemoResult } from './run.js';
import { stepHaipEnroll } from './steps/haip/enroll.js';
import { stepHaipIssue } from './steps/haip/issue.js';
import { stepHaipSyncOffline } from './steps/haip/offline.js';
import { stepHaipPresent } from './steps/haip/present.js';
import { stepHaipReplays } from './steps/haip/replays.js';
import { createWorld } from './world.js';

export const HAIP_STEP_COUNT = 5;

/**
 * `netcred demo --haip`: the story of the OpenID4VC High Assurance Interoperability Profile 1.0
 * with the real issuer, wallet and verifier on 127.0.0.1: an X.509 issuer with a URL identifier,
 * the authorization code flow with PAR, PKCE and DPoP approved at the enrollment point, an
 * x509_san_dns verifier whose signed request is answered with direct_post.jwt, and replays
 * refused. Same rules as the identity story: a step whose outcome differs from the narration
 * fails the run; a step that throws stops it.
 */
export async function runHaipDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const story = new Story(options.out);
  const world = await createWorld({ showQr: options.showQr ?? true, keep: options.keep ?? false, haip: true });
  const out = options.out;
  out?.(
    `netcred demo --haip: issuer ${world.issuer.url} (iss ${world.issuer.ctx.issuerId}), verifier ${world.verifier.url} (${world.verifier.x509?.clientId}), data in ${world.root}`,
  );
  try {
    const { phone, enrollment } = await stepHaipEnroll(world, story);
    const { tokenRequest } = await stepHaipIssue(world, story, phone, enrollment);
    await stepHaipSyncOffline(world, story);
    const offlineSince = world.issuer.requests();
    const { response, requestId } = await stepHaipPresent(world, story, phone, offlineSince);
    await stepHaipReplays(world, story, { response, requestId, tokenRequest });
  } catch (err) {
    const last = story.steps[story.steps.length - 1];
    const code = err instanceof DemoError || isNetcredError(err) ? err.code : 'INTERNAL';
    const message = err instanceof Error ? err.message : String(err);
    out?.(`   ✗ stopped: ${code}: ${message}`);
    if (last) story.steps[story.steps.length - 1] = { ...last, ok: false, error: { code, message } };
    else story.steps.push({ n: 0, id: 'setup', title: 'set up', ok: false, checks: [], notes: [], error: { code, message } });
  } finally {
    await world.close();
  }
  const ok = story.steps.length === HAIP_STEP_COUNT && story.ok;
  return {
    ok,
    steps: story.steps,
    root: world.root,
    issuer: world.issuer.ctx.issuerId,
    issuerUrl: world.issuer.url,
    verifierUrl: world.verifier.url,
    expectedSteps: HAIP_STEP_COUNT,
  };
}
