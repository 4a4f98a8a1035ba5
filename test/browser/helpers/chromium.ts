import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (.ci/run installs it when it is missing). */
export const CHROMIUM_PATH = process.env.NETCRED_CHROMIUM ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether the browser tests can run. Without Chromium they are skipped with the reason printed,
 * except under CI=true, where a missing browser is a failure (CI must test the pages).
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const reason = `browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`;
  if (process.env.CI === 'true') throw new Error(`${reason}: CI=true, so this is a failure, not a skip`);
  console.warn(`skipped: ${reason}`);
  return false;
}

/** Launches headless Chromium with `extra` flags (a fake camera, say); close it in afterAll. */
export function launchChromium(extra: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...BASE_ARGS, ...extra], headless: true });
}
