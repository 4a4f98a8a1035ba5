import type { Command } from 'commander';
import { addServerLimitOptions } from './server-limits.js';

/** `netcred start` (what `npm start` runs): the issuer service with defaults, and a verifier app trusting it. */
export function registerStart(program: Command): void {
  const start = program
    .command('start')
    .description('run the issuer (port: $PORT or 8080, initialized on first run) and a verifier app trusting it (port: $VERIFIER_PORT or the next one)')
    .action(async (_opts: unknown, cmd: Command) => (await import('./start.run.js')).runStart(cmd));
  addServerLimitOptions(start); // applied to both servers
}
