import type { AuthorizationStep } from '../../../../holder/oid4vci/index.js';
import { listenForRedirect } from '../../../../holder/oid4vci/index.js';
import { DemoError } from '../../actions.js';
import type { StepLog } from '../../report.js';
import type { World } from '../../world.js';

/** What the browser step saw: the reference the page showed, the officer's answer, where the browser was sent back. */
export type BrowserTrace = { reference?: string; approval?: { status: number; body: Record<string, unknown> }; redirectedTo?: URL };

/**
 * The browser step of the authorization code flow, played for real over HTTP: the wallet's
 * loopback redirect listener (RFC 8252, as `netcred wallet accept` runs it); the resident's
 * browser opens the authorization URL and shows the page's reference at the enrollment point;
 * the officer approves that reference for the enrollment just recorded
 * (`POST /admin/authorizations/{reference}/approve`); the page's next reload redirects the
 * browser to the wallet with the code.
 */
export function enrollmentPointBrowser(world: World, log: StepLog, enrollment: string, trace: BrowserTrace): AuthorizationStep & { close(): Promise<void> } {
  const listening = listenForRedirect(60_000);
  return {
    redirectUri: async () => (await listening).redirectUri,
    authorize: async (authorizationUrl) => {
      const loopback = await listening;
      log.note(`the wallet opens the resident's browser at ${authorizationUrl.slice(0, 90)}...`);
      const page = await fetch(authorizationUrl, { redirect: 'manual' });
      const html = await page.text();
      const reference = /data-authorization="([0-9A-Z-]+)"/.exec(html)?.[1];
      const refresh = /url=(\S+)$/.exec(page.headers.get('refresh') ?? '')?.[1];
      const cookie = page.headers.get('set-cookie')?.split(';')[0];
      if (page.status !== 200 || !reference || !refresh || !cookie)
        throw new DemoError('DEMO_UNEXPECTED_ANSWER', `the authorization page answered ${page.status} without a reference to show`);
      trace.reference = reference;
      log.note(`the page shows the reference ${reference}; the resident shows it to the officer at the enrollment point`);

      trace.approval = await world.issuerAdmin('POST', `/admin/authorizations/${reference}/approve`, { enrollment });
      log.note(
        `officer: POST /admin/authorizations/${reference}/approve {enrollment: ${enrollment.slice(0, 8)}...} -> HTTP ${trace.approval.status} ${String(trace.approval.body.status ?? trace.approval.body.code ?? '')}`,
      );

      const back = await fetch(new URL(refresh, authorizationUrl), { redirect: 'manual', headers: { cookie } });
      await back.body?.cancel();
      const location = back.headers.get('location');
      if (back.status !== 303 || !location)
        throw new DemoError('DEMO_UNEXPECTED_ANSWER', `the authorization page answered ${back.status} after the approval, not a redirect`);
      trace.redirectedTo = new URL(location);
      // The browser follows the redirect to the wallet's loopback listener.
      await (await fetch(location)).body?.cancel();
      return loopback.response();
    },
    close: async () => (await listening).close(),
  };
}
