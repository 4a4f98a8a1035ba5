import path from 'node:path';
import type { Command } from 'commander';

/** Data dir: --data, then $NETCRED_HOME, then ./.netcred. Each role keeps a subfolder of it. */
export function dataDirOf(cmd: Command): string {
  const globals = cmd.optsWithGlobals() as { data?: string };
  return path.resolve(globals.data ?? process.env.NETCRED_HOME ?? '.netcred');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
