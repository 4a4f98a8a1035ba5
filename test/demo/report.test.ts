import { describe, expect, it } from 'vitest';
import { Story } from '../../cli/demo/report.js';

describe('demo Story', () => {
  it('a step passes only when every check does, and the story only when every step does', () => {
    const lines: string[] = [];
    const story = new Story((l) => lines.push(l));
    const a = story.begin(1, 'a', 'first');
    expect(a.check('same value', 'valid', 'valid')).toBe(true);
    expect(a.check('same list', ['x', 'y'], ['x', 'y'])).toBe(true);
    expect(story.ok).toBe(true);
    const b = story.begin(2, 'b', 'second');
    expect(b.check('verdict', 'STATUS_REVOKED', 'valid')).toBe(false);
    expect(story.steps.map((s) => s.ok)).toEqual([true, false]);
    expect(story.ok).toBe(false);
    expect(b.rec.checks[0]).toEqual({ what: 'verdict', expected: 'STATUS_REVOKED', observed: 'valid', ok: false });
    expect(lines.some((l) => l.includes('✗ verdict: valid  (expected STATUS_REVOKED)'))).toBe(true);
  });

  it('records what was disclosed and the verdict; a silent story prints nothing', () => {
    const story = new Story();
    const s = story.begin(3, 'lite', 'lite');
    s.disclosed({ given_name: 'A' }, 'kiosk');
    s.verdict({ valid: false, code: 'KB_JWT_REPLAYED' });
    s.fail('X', 'stopped');
    expect(s.rec).toMatchObject({ ok: false, disclosed: { given_name: 'A' }, verdict: { valid: false, code: 'KB_JWT_REPLAYED' }, error: { code: 'X' } });
    expect(new Story().ok).toBe(false);
  });
});
