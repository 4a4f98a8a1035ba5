// Not core/index.js: this file loads at startup (--help, test/cli/startup), which must not load all of core.
import { InvalidInputError } from '../core/errors.js';

/** Option parsers shared by several commands (cheap: loaded on every CLI start). */

export function parseSeconds(value: string, what: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) throw new InvalidInputError(`${what} must be a whole number of seconds`);
  return Number(value);
}

export function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || !Number.isFinite(t)) throw new InvalidInputError(`--now must be an ISO 8601 date-time, got ${value}`);
  return new Date(t);
}

export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new InvalidInputError(`port must be an integer 0-65535, got ${JSON.stringify(value)}`, [{ path: 'port', message: 'not a port' }]);
  return Number(value);
}

/** Commander's argParser for a repeatable option: each use appends to the list. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
