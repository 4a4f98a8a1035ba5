import { isNetcredError } from '../../core/errors.js';
import { DemoError } from './actions.js';
import { Story, type StepRecord } from './report.js';
import { stepEnroll } from './steps/enroll.js';
import { stepLite } from './steps/lite.js';
import { stepSyncOffline } from './steps/offline.js';
import { stepPhoneLost } from './steps/phone-lost.js';
import { stepReissue } from './steps/reissue.js';
import { stepUpgraded } from './steps/upgraded.js';
import { createWorld } from './world.js';

export type DemoOptions = {
  /** Draw QR codes in the terminal (PNG files are written either way). */
  showQr?: boolean;
  /** Keep the temporary directory (data dirs, bundle, QR PNGs). */
  keep?: boolean;
  /** Narration lines (text mode); absent: silent. */
  out?: (line: string) => void;
};

export type DemoResult = {
  ok: boolean;
  steps: StepRecord[];
  root: string;
  /** The issuer identifier (`iss`): its DID, or its URL in the HAIP story. */
  issuer: string;
  issuerUrl: string;
  verifierUrl: string;
  /** How many steps the story has (fewer ran when one stopped it). */
  expectedSteps: number;
};

export const STEP_COUNT = 6;

/**
 * Plays the identity story end to end with the real issuer, wallets and verifier on 127.0.0.1.
 * A step whose outcome differs from the narration fails the run; a step that throws stops it
 * (the later steps depend on it).
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const story = new Story(options.out);
  const world = await createWorld({ showQr: options.showQr ?? true, keep: options.keep ?? false });
  const out = options.out;
  out?.(`netcred demo: issuer ${world.issuer.url}, verifier ${world.verifier.url}, data in ${world.root}`);
  try {
    const { phone, credentialId: _first } = await stepEnroll(world, story);
    void _first;
    await stepSyncOffline(world, story);
    const offlineSince = world.issuer.requests();
    await stepLite(world, story, phone);
    await stepUpgraded(world, story, phone, offlineSince);
    const { newPhone, credentialId } = await stepPhoneLost(world, story, phone);
    await stepReissue(world, story, newPhone, credentialId);
  } catch (err) {
    const last = story.steps[story.steps.length - 1];
    const code = err instanceof DemoError || isNetcredError(err) ? err.code : 'INTERNAL';
    const message = err instanceof Error ? err.message : String(err);
    if (last) story.steps[story.steps.length - 1] = fail(last, code, message, out);
    else story.steps.push({ n: 0, id: 'setup', title: 'set up', ok: false, checks: [], notes: [], error: { code, message } });
  } finally {
    await world.close();
  }
  const ok = story.steps.length === STEP_COUNT && story.ok;
  return {
    ok,
    steps: story.steps,
    root: world.root,
    issuer: world.issuer.ctx.issuerDid,
    issuerUrl: world.issuer.url,
    verifierUrl: world.verifier.url,
    expectedSteps: STEP_COUNT,
  };
}

function fail(rec: StepRecord, code: string, message: string, out?: (line: string) => void): StepRecord {
  out?.(`   ✗ stopped: ${code}: ${message}`);
  return { ...rec, ok: false, error: { code, message } };
}
