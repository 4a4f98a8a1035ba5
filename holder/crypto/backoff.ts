/**
 * Delay before the next PIN attempt after `failures` consecutive wrong PINs: the first
 * FREE_ATTEMPTS are free (typos), then 30 s doubling per failure, capped at one hour.
 */
export const FREE_ATTEMPTS = 3;
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60 * 1000;

export function backoffDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(20, failures - FREE_ATTEMPTS));
}
