import { spawn } from 'node:child_process';
import type { Observation } from './result.js';

export type CommandVerdictRules = {
  /** Exit codes meaning "accepted" (default [0]). */
  acceptExit: readonly number[];
  /** Exit codes meaning "rejected" (default: every other exit code). */
  rejectExit?: readonly number[];
  /** When set, "accepted" means this matches stdout (and the exit code is ignored). */
  acceptStdout?: RegExp;
  /** Reads the error code from stdout + stderr (first capture group). */
  codeRegex?: RegExp;
  timeoutMs: number;
};

const MAX_OUTPUT = 64 * 1024;

/** One line of output: the first (or, for stderr, the last: where errors end up) non-empty one. */
function oneLine(text: string, which: 'first' | 'last'): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const line = (which === 'first' ? lines[0] : lines[lines.length - 1]) ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** Runs one filled command line with `sh -c` and reads its verdict by the rules. */
export function runCommand(commandLine: string, rules: CommandVerdictRules): Promise<Observation> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', commandLine], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    const take = (which: 'out' | 'err') => (chunk: Buffer) => {
      if (which === 'out' && stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8');
      if (which === 'err' && stderr.length < MAX_OUTPUT) stderr += chunk.toString('utf8');
    };
    child.stdout.on('data', take('out'));
    child.stderr.on('data', take('err'));
    let timedOut = false;
    // The process group this run started is stopped, not only sh: a template may start a pipeline.
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, rules.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ verdict: 'error', said: `cannot run: ${err.message}` });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const said = oneLine(stdout, 'first') || oneLine(stderr, 'last') || `(no output, exit ${String(status ?? signal)})`;
      if (timedOut) return resolve({ verdict: 'error', said: `timed out after ${rules.timeoutMs} ms` });
      if (status === null) return resolve({ verdict: 'error', said: `killed by ${String(signal)}` });
      const code = rules.codeRegex?.exec(`${stdout}\n${stderr}`)?.[1];
      const accepted = rules.acceptStdout ? rules.acceptStdout.test(stdout) : rules.acceptExit.includes(status);
      let verdict: Observation['verdict'] = accepted ? 'accept' : 'reject';
      if (!accepted && !rules.acceptStdout && rules.rejectExit && !rules.rejectExit.includes(status)) verdict = 'error';
      resolve({ verdict, said, status, ...(code !== undefined ? { code } : {}) });
    });
  });
}
