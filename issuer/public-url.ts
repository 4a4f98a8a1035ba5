import { didWebFromUrl } from '../core/did/did-web.js';
import { NetcredError } from '../core/errors.js';
import { isLoopbackHost } from '../core/http/fetch-bounded.js';
import { issuerPaths, normalizePublicUrl, readIssuerConfig, writeIssuerConfig } from './config.js';
import type { IssuerContext } from './context.js';
import { allLists } from './status/store.js';

/**
 * The issuer's public URL is where wallets and verifiers reach it: discovery, type metadata,
 * status lists and OpenID4VCI all name it. These helpers keep it and the port the issuer
 * actually listens on from drifting apart.
 */

/** The port a URL names: its own, else its scheme's default. */
export function urlPort(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}

/** The same URL on another port (a loopback public URL following its server). */
export function withPort(publicUrl: string, port: number): string {
  const u = new URL(publicUrl);
  u.port = String(port);
  return normalizePublicUrl(u.href);
}

/** A public URL on 127.0.0.1/localhost whose port is not the one the server listens on. */
export type PublicUrlMismatch = { publicUrl: string; urlPort: number; listenPort: number };

/**
 * A public URL on a loopback host is the server itself (no proxy in between), so it must name
 * the port the issuer listens on; when it names another, everything following its links misses
 * the issuer. Undefined when the ports agree or the URL's host is not loopback (a proxy may sit
 * in front).
 */
export function publicUrlPortMismatch(publicUrl: string, listenPort: number): PublicUrlMismatch | undefined {
  const u = new URL(publicUrl);
  if (!isLoopbackHost(u.hostname)) return undefined;
  const port = urlPort(publicUrl);
  return port === listenPort ? undefined : { publicUrl, urlPort: port, listenPort };
}

/** Whether `netcred start` made this issuer's public URL from its own loopback address (it then follows the port). */
export function publicUrlFollowsPort(dataDir: string): boolean {
  return readIssuerConfig(issuerPaths(dataDir).config).publicUrlFollowsPort === true;
}

/**
 * Why this issuer's public URL cannot become `next`, or undefined: a did:web DID is made from the
 * URL; a URL issuer identifier (and its certificate) is the URL; a published status list keeps
 * the URL it was created under, and credentials name it.
 */
export async function publicUrlLock(ctx: IssuerContext, next: string): Promise<string | undefined> {
  if (ctx.config.didMethod === 'web' && didWebFromUrl(next) !== ctx.issuerDid) return `its DID ${ctx.issuerDid} is made from it`;
  if (ctx.config.issuerIdKind === 'url') return `it is the issuer identifier (iss)${ctx.x5c ? ', which its certificate names' : ''}`;
  const bound = (await allLists(ctx.dataSource.manager)).filter((l) => !l.uri.startsWith(`${next}/`));
  if (bound.length > 0)
    return `the credentials issued so far name its status list${bound.length > 1 ? 's' : ''} there (${bound[0]!.uri}${bound.length > 1 ? ', ...' : ''})`;
  return undefined;
}

/** The result of changing an issuer's public URL: the previous and the new URL, and whether it changed. */
export type PublicUrlChange = { previous: string; publicUrl: string; changed: boolean };

/**
 * Sets the issuer's public URL in config.json (as `issuer serve --public-url` and `netcred start`
 * do) and in the open context, so what it serves next names it. Refused with PUBLIC_URL_LOCKED,
 * nothing written, when publicUrlLock says why. `followsPort` records that the URL is the local
 * address `netcred start` listens on; any other change clears it.
 */
export async function setPublicUrl(ctx: IssuerContext, url: string, options: { followsPort?: boolean } = {}): Promise<PublicUrlChange> {
  const next = normalizePublicUrl(url);
  const file = issuerPaths(ctx.config.dataDir).config;
  const stored = readIssuerConfig(file);
  const previous = stored.publicUrl;
  const follows = options.followsPort === true;
  if (next === previous && (stored.publicUrlFollowsPort === true) === follows) return { previous, publicUrl: next, changed: false };
  if (next !== previous) {
    const why = await publicUrlLock(ctx, next);
    if (why) {
      throw new NetcredError(
        'PUBLIC_URL_LOCKED',
        `the public URL of this issuer stays ${previous}: ${why}. Serve it there, or create a new issuer in another data dir (--data DIR or NETCRED_HOME=DIR)`,
        { details: [{ path: 'publicUrl', message: why }] },
      );
    }
  }
  const { publicUrlFollowsPort: _previousFlag, ...rest } = stored;
  writeIssuerConfig(file, { ...rest, publicUrl: next, ...(follows ? { publicUrlFollowsPort: true } : {}) });
  ctx.config.publicUrl = next;
  return { previous, publicUrl: next, changed: next !== previous };
}
