import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A sibling module's path as this run can start it: the compiled .js under dist/, else the .ts source (through tsx). */
export function runnable(relative: string, from: string): string {
  const js = fileURLToPath(new URL(relative, from));
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

/** Node arguments for a child of this bench: the same flags and loader (tsx under the sources). */
function nodeArgs(file: string): string[] {
  return file.endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx')) ? ['--import', 'tsx', file] : [...process.execArgv, file];
}

/** `netcred issuer serve` in a child process, until stop(): resolves once it prints its listening line. */
export async function startIssuerServe(
  dataDir: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ url: string; publicUrl: string; proc: ChildProcess; stop(): Promise<void> }> {
  const main = runnable('../../cli/main.js', import.meta.url);
  const proc = spawn(process.execPath, [...nodeArgs(main), 'issuer', 'serve', '--data', dataDir, '--port', '0', '--rate-limit', '0', '--json', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const l = out.split('\n').find((x) => x.startsWith('{'));
      if (l) resolve(l);
    });
    proc.once('exit', (code) => reject(new Error(`issuer serve exited ${code}: ${err}`)));
  });
  const { url, publicUrl } = JSON.parse(line) as { url: string; publicUrl: string };
  return {
    url,
    publicUrl,
    proc,
    async stop() {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the wallets process (load/wallets.ts) once and returns its JSON answer. */
export function runWallets(job: Record<string, unknown>): Promise<{ opsPerSec: number } & Record<string, unknown>> {
  const file = runnable('./wallets.js', import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeArgs(file), JSON.stringify(job)], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`wallets: ${err.message} ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as { opsPerSec: number });
    });
  });
}
