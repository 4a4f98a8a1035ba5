import { describe, expect, it } from 'vitest';
import { profileClaimPaths } from '../../schemas/index.js';
import type { DemoResult } from '../../cli/demo/run.js';
import { runCli } from '../helpers/cli.js';

const top = (p: 'lite' | 'upgraded') =>
  profileClaimPaths(p)
    .map((x) => String(x[0]))
    .sort();
const observed = (step: DemoResult['steps'][number] | undefined, what: RegExp) => step?.checks.find((c) => what.test(c.what))?.observed;

describe('netcred demo (the whole story, real issuer, wallets and verifier on 127.0.0.1)', () => {
  it('every step turns out as narrated, and --json reports each outcome', { timeout: 180_000 }, async () => {
    const run = await runCli(['demo', '--no-qr', '--json'], { timeoutMs: 170_000 });
    let result: DemoResult;
    try {
      result = JSON.parse(run.stdout) as DemoResult;
    } catch {
      throw new Error(`not JSON (exit ${run.code}): ${run.stdout.slice(0, 500)} ${run.stderr.slice(0, 2000)}`);
    }
    const failed = result.steps.filter((s) => !s.ok).map((s) => ({ step: s.id, error: s.error, checks: s.checks.filter((c) => !c.ok) }));
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(run.code).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.id)).toEqual(['enroll', 'sync-offline', 'lite', 'upgraded', 'phone-lost', 're-issue']);
    const [enroll, offline, lite, upgraded, lost, reissue] = result.steps;

    // 1: issued over OpenID4VCI by this run's issuer; the offer cannot be redeemed twice.
    expect(observed(enroll, /issuer DID/)).toBe(result.issuer);
    expect(observed(enroll, /single use/)).toBe('OID4VCI_INVALID_GRANT');
    // 2: offline means offline: the sync cannot reach the issuer any more.
    expect(observed(offline, /sync attempt now fails/)).toBe('SYNC_FAILED');
    // 3: lite discloses the lite claims only, is verified with no connection, and a second scan is a replay.
    expect(Object.keys(lite!.disclosed ?? {}).sort()).toEqual(top('lite'));
    expect(observed(lite, /connections opened/)).toBe('0');
    expect(lite!.verdict).toMatchObject({ valid: false, code: 'KB_JWT_REPLAYED' });
    expect(observed(lite, /kiosk verdict/)).toBe('valid');
    // 4: upgraded over OpenID4VP: exactly the profile's claims, a valid verdict, still no issuer contact.
    expect(Object.keys(upgraded!.disclosed ?? {}).sort()).toEqual(top('upgraded'));
    expect(upgraded!.verdict).toMatchObject({ valid: true, status: 'valid', issuer: result.issuer });
    expect(observed(upgraded, /issuer received/)).toBe('0');
    // 5: the lost phone's credential is refused once the bundle is refreshed, and its wallet deletes it.
    expect(observed(lost, /old credential refused/)).toBe('STATUS_REVOKED');
    expect(observed(lost, /credentials left in the old wallet after its sync/)).toBe('0');
    expect(lost!.verdict).toMatchObject({ valid: true });
    // 6: re-issue supersedes the previous credential.
    expect(reissue!.checks.find((c) => /offers the newest/.test(c.what))?.ok).toBe(true); // not the superseded one
    expect(observed(reissue, /previous credential refused/)).toBe('STATUS_REVOKED');
    expect(reissue!.verdict).toMatchObject({ valid: true });
  });
});
