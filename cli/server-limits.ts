import type { Command } from 'commander';

/**
 * Adds the connection-limit flags of the serving commands (issuer serve, verifier serve, start).
 * The defaults live in core/http/server-limits.ts (DEFAULT_SERVER_LIMITS); they are spelled in
 * the help here so that registering a command loads nothing (test/http/server-limits checks them).
 */
export function addServerLimitOptions(cmd: Command): Command {
  return cmd
    .option('--headers-timeout <seconds>', 'time a client has to send the request headers (default 10)')
    .option('--request-timeout <seconds>', 'time a client has to send the whole request, headers and body (default 30)')
    .option('--keep-alive-timeout <seconds>', 'how long an idle keep-alive connection stays open (default 5)')
    .option('--max-connections <n>', 'concurrent connections; the server closes connections past it at once (default 1024)');
}
