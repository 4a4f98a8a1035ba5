import { describe, expect, it } from 'vitest';
// Internal on purpose: the progress bar is drawn only on a terminal, which a CLI test (pipes) never is.
import { Progress } from '../../conformance/runner/progress.js';

function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = {
    isTTY,
    text: '',
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('conformance progress bar', () => {
  it('draws on a terminal: done/total, failures, the case; clears the line at the end', () => {
    const tty = stream(true);
    const p = new Progress(4, tty);
    p.tick(true, 'kb-valid');
    p.tick(false, 'status-revoked');
    expect(tty.text).toContain('\r[###############---------------] 2/4 1 failed  status-revoked');
    p.end();
    expect(tty.text.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('writes nothing when stderr is not a terminal (logs, CI)', () => {
    const pipe = stream(false);
    const p = new Progress(2, pipe);
    p.tick(true, 'a');
    p.end();
    expect(pipe.text).toBe('');
  });
});
