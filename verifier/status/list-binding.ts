import { statusListBindingProblem, type StatusListSelf } from '../../core/status/binding.js';
import { VerificationError } from '../errors.js';

/**
 * The verifier's reading of the status list binding rule (core/status/binding.ts), used at
 * `verifier sync`, at bundle load and at verification: a list of another URL or issuer is
 * STATUS_LIST_MISMATCH, an expired one STATUS_LIST_STALE (only when `now` is given).
 */
export function listBindingError(self: StatusListSelf, expected: { uri: string; issuer: string }, now?: number): VerificationError | undefined {
  const problem = statusListBindingProblem(self, expected, now);
  if (!problem) return undefined;
  return new VerificationError(problem.reason === 'expired' ? 'STATUS_LIST_STALE' : 'STATUS_LIST_MISMATCH', problem.message);
}
