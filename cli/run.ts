import { CommanderError, type Command } from 'commander';
// Not core/index.js: this file loads at startup (--help, test/cli/startup), which must not load all of core.
import { exitCodeOf } from '../core/errors/codes.js';
import { isNetcredError, NetcredError } from '../core/errors.js';
import { storageErrorOf } from '../core/storage-errors.js';

/**
 * Exit codes shared by every subcommand: 0 success, 1 a negative verdict (e.g. a
 * rejected credential), 2 usage or input error, 3 unexpected internal error. A thrown error's
 * follows from its code's class (core/errors/codes.ts).
 */
export const EXIT = { OK: 0, REJECTED: 1, USAGE: 2, INTERNAL: 3 } as const;

/** Commander copies exitOverride only into subcommands created after it is set: apply it to the whole tree. */
function overrideExits(cmd: Command): void {
  cmd.exitOverride();
  cmd.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const sub of cmd.commands) overrideExits(sub);
}

export async function runCli(program: Command, argv: string[]): Promise<void> {
  // `netcred ... | head`: a closed pipe ends the output, not the process with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  overrideExits(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/** Prints an error as `error CODE: message` (or JSON with --json) and returns the exit code. */
export function reportError(err: unknown, json = process.argv.includes('--json')): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return EXIT.OK;
    // Commander has printed its message on stderr; a --json caller also gets it as a typed error.
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: 'INVALID_INPUT', message: err.message.replace(/^error: /, '') } })}\n`);
    return EXIT.USAGE;
  }
  // A storage fault is the operator's to fix (free space, restore a backup): exit 2 with what to do.
  const e = isNetcredError(err) ? err : (storageErrorOf(err) ?? new NetcredError('INTERNAL', err instanceof Error ? err.message : String(err)));
  if (json) process.stdout.write(`${JSON.stringify({ error: e.toJSON() })}\n`);
  else {
    process.stderr.write(`error ${e.code}: ${e.message}\n`);
    for (const d of e.details ?? []) process.stderr.write(`  - ${d.path}: ${d.message}\n`);
  }
  return exitCodeOf(e.code);
}
