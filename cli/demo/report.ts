/** One thing a step expected, and what actually happened. */
export type Check = { what: string; expected: string; observed: string; ok: boolean };

export type StepRecord = {
  n: number;
  id: string;
  title: string;
  ok: boolean;
  checks: Check[];
  /** What the holder disclosed to the verifier (claim name -> value). */
  disclosed?: Record<string, unknown>;
  /** What the verifier concluded. */
  verdict?: { valid: boolean; code?: string; message?: string; [k: string]: unknown };
  notes: string[];
  error?: { code: string; message: string };
};

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Collects the steps; in text mode also narrates them as they happen. */
export class Story {
  readonly steps: StepRecord[] = [];
  constructor(private readonly out?: (line: string) => void) {}

  get ok(): boolean {
    return this.steps.length > 0 && this.steps.every((s) => s.ok);
  }

  begin(n: number, id: string, title: string): StepLog {
    const rec: StepRecord = { n, id, title, ok: true, checks: [], notes: [] };
    this.steps.push(rec);
    this.out?.('');
    this.out?.(`── ${n}. ${title}`);
    return new StepLog(rec, this.out);
  }

  /** Raw text (a terminal QR code) in text mode only. */
  raw(text: string): void {
    this.out?.(text.replace(/\n+$/, ''));
  }
}

export class StepLog {
  constructor(
    readonly rec: StepRecord,
    private readonly out?: (line: string) => void,
  ) {}

  note(text: string): void {
    this.rec.notes.push(text);
    this.out?.(`   ${text}`);
  }

  /** Records a check; a failed one fails the step (and the demo). */
  check(what: string, expected: unknown, observed: unknown, ok = show(expected) === show(observed)): boolean {
    this.rec.checks.push({ what, expected: show(expected), observed: show(observed), ok });
    if (!ok) this.rec.ok = false;
    this.out?.(`   ${ok ? '✓' : '✗'} ${what}: ${show(observed)}${ok ? '' : `  (expected ${show(expected)})`}`);
    return ok;
  }

  disclosed(claims: Record<string, unknown>, to: string): void {
    this.rec.disclosed = claims;
    this.out?.(`   disclosed to ${to}:`);
    for (const [k, v] of Object.entries(claims)) this.out?.(`     ${k} = ${show(v)}`);
  }

  verdict(v: StepRecord['verdict'] & object, label = 'verifier'): void {
    this.rec.verdict = v;
    this.out?.(`   ${label} concluded: ${v.valid ? 'VALID' : `REFUSED ${v.code ?? ''}`}${v.message && !v.valid ? ` (${v.message})` : ''}`);
  }

  fail(code: string, message: string): void {
    this.rec.ok = false;
    this.rec.error = { code, message };
    this.out?.(`   ✗ stopped: ${code}: ${message}`);
  }
}
