import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';

/** The package root: the nearest folder above this module holding package.json (works from dist/ and from source). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

/** Where `vite build` writes the pages: <package root>/dist/web. */
export function webDistDir(): string {
  return path.join(packageRoot(), 'dist', 'web');
}

/**
 * Content-Security-Policy of the pages: everything from 'self', no inline script, images may be
 * data: URLs (QR codes drawn in the page), the camera allowed for this origin only.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function pageHeaders(res: Response, camera: boolean): void {
  res.set({
    'Content-Security-Policy': PAGE_CSP,
    'Permissions-Policy': camera ? 'camera=(self), microphone=(), geolocation=()' : 'camera=(), microphone=(), geolocation=()',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  });
}

export type StaticPageOptions = {
  /** The page's folder under dist/web ('kiosk', 'console', 'wallet'). */
  page: string;
  /** The mount path ('/kiosk/', '/console/', '/'); it ends with '/'. */
  path: string;
  /** The page uses the camera (Permissions-Policy camera=(self)). */
  camera?: boolean;
  /** dist/web by default (tests may point elsewhere). */
  distDir?: string;
};

/**
 * A router serving one built page (dist/web/<page>/index.html) at `path`, its assets (the shared
 * dist/web/assets) at `<path>assets/`, with a strict CSP. `<path>` without its slash redirects to
 * it (the page's URLs are relative). Pages not built: 503 "pages not built: run npm run build".
 */
export function staticPage(options: StaticPageOptions): Router {
  const mount = options.path.endsWith('/') ? options.path : `${options.path}/`;
  const dist = options.distDir ?? webDistDir();
  const pageDir = path.join(dist, options.page);
  const camera = options.camera ?? false;
  const router = express.Router({ strict: true });
  const notBuilt = (_req: Request, res: Response) => {
    res
      .status(503)
      .set('Cache-Control', 'no-store')
      .json({ error: 'temporarily_unavailable', error_description: `pages not built: run npm run build (missing ${path.join(pageDir, 'index.html')})` });
  };
  // req.baseUrl: the router may be mounted under a path (an issuer's public URL path).
  if (mount !== '/')
    router.get(mount.slice(0, -1), (req, res) =>
      res.redirect(301, `${req.baseUrl}${mount}${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`),
    );
  router.use(
    `${mount}assets`,
    (_req, res, next) => {
      pageHeaders(res, camera);
      next();
    },
    express.static(path.join(dist, 'assets'), { index: false, fallthrough: false, immutable: true, maxAge: '1y' }),
  );
  router.get(mount, (req, res) => {
    if (!existsSync(path.join(pageDir, 'index.html'))) return notBuilt(req, res);
    pageHeaders(res, camera);
    res.set('Cache-Control', 'no-cache').sendFile(path.join(pageDir, 'index.html'));
  });
  return router;
}
