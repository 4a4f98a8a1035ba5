import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST_MAIN = path.join(root, 'dist/cli/main.js');

export type CliResult = { code: number; stdout: string; stderr: string };

/** The newest mtime among `entry` and everything below it; directories count, so a moved or deleted file does too. */
function newestBelow(entry: string): { mtimeMs: number; file: string } {
  let newest = { mtimeMs: statSync(entry).mtimeMs, file: entry };
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      const { mtimeMs } = statSync(p);
      if (mtimeMs > newest.mtimeMs) newest = { mtimeMs, file: p };
      if (d.isDirectory()) walk(p);
    }
  };
  if (statSync(entry).isDirectory()) walk(entry);
  return newest;
}

/** Why dist/ cannot stand for the sources (missing, or older than a file it is built from), or undefined when it can. */
function distStaleness(): string | undefined {
  let built: number;
  try {
    built = statSync(DIST_MAIN).mtimeMs;
  } catch {
    return 'dist/cli/main.js is missing';
  }
  // What `npm run build` compiles into dist/: the folders of tsconfig.build.json, and the two tsconfig files.
  const { include } = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
  const entries = [...include, 'tsconfig.json', 'tsconfig.build.json'].map((e) => path.join(root, e));
  const newest = entries.map(newestBelow).reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a));
  return newest.mtimeMs > built ? `dist/ is older than ${path.relative(root, newest.file)}` : undefined;
}

let nodeArgs: string[] | undefined;

/**
 * The node arguments that start the `netcred` CLI, decided once per process: `dist/cli/main.js`
 * (what `npm test` has just built in pretest: about 1.3 s a call) when it is newer than every
 * source it is built from, else `cli/main.ts` through tsx (about 3.2 s a call), with a one-line
 * note on stderr. NETCRED_TEST_CLI=source always runs the sources. A test never runs a stale dist/.
 */
export function cliNodeArgs(): string[] {
  if (nodeArgs) return nodeArgs;
  const fromSource = ['--import', 'tsx', path.join(root, 'cli/main.ts')];
  if (process.env.NETCRED_TEST_CLI === 'source') return (nodeArgs = fromSource);
  const stale = distStaleness();
  if (stale) {
    process.stderr.write(`test/helpers/cli.ts: running the CLI from source (tsx): ${stale} (npm run build makes dist/ current)\n`);
    return (nodeArgs = fromSource);
  }
  return (nodeArgs = [DIST_MAIN]);
}

/**
 * Runs the real `netcred` CLI in a child process (from dist/ when it is up to date, see cliNodeArgs).
 * `input` is written to stdin; the environment is the caller's plus `env`.
 */
export function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliNodeArgs(), ...args], {
      cwd: options.cwd ?? root,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export const repoRoot = root;
