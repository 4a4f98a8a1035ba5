import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../../core/http/listen.js';
// The pages' static server is an internal of the apps (core/http/static-pages.ts), tested here on a dist of its own.
import { PAGE_CSP, packageRoot, staticPage } from '../../core/http/static-pages.js';
import { tempDir } from '../helpers/tmp.js';

describe('static pages: a built page at its mount path, its assets, strict headers; 503 when not built', () => {
  const tmp = tempDir('netcred-pages-');
  let server: RunningServer;
  beforeAll(async () => {
    const built = path.join(tmp.dir, 'built');
    mkdirSync(path.join(built, 'kiosk'), { recursive: true });
    mkdirSync(path.join(built, 'assets'), { recursive: true });
    writeFileSync(path.join(built, 'kiosk', 'index.html'), '<!doctype html><title>k</title><script type="module" src="./assets/k.js"></script>');
    writeFileSync(path.join(built, 'assets', 'k.js'), 'console.log(1)');
    const app = express();
    app.use(staticPage({ page: 'kiosk', path: '/kiosk/', camera: true, distDir: built }));
    app.use(staticPage({ page: 'console', path: '/console/', distDir: path.join(tmp.dir, 'missing') }));
    app.use((_req, res) => res.status(404).json({ error: 'not_found' }));
    server = await listen(app);
  });
  afterAll(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it('serves index.html at the mount path with the CSP, the camera for the kiosk only, no caching of the page', async () => {
    const res = await fetch(`${server.url}/kiosk/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>k</title>');
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain("script-src 'self'");
    expect(PAGE_CSP).not.toContain('unsafe-inline');
    expect(res.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves the shared assets under the mount path; a missing asset is a 404, a path out of the folder is refused', async () => {
    const js = await fetch(`${server.url}/kiosk/assets/k.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${server.url}/kiosk/assets/nope.js`)).status).toBe(404);
    expect([403, 404]).toContain((await fetch(`${server.url}/kiosk/assets/..%2Fkiosk%2Findex.html`)).status);
  });

  it('the path without its slash redirects to it, keeping the query', async () => {
    const res = await fetch(`${server.url}/kiosk?hold=9`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/kiosk/?hold=9');
  });

  it('a page that is not built answers 503 saying to run npm run build', async () => {
    const res = await fetch(`${server.url}/console/`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('temporarily_unavailable');
    expect(body.error_description).toMatch(/^pages not built: run npm run build/);
  });

  it('finds the package root from its own module (source here; dist/ under the CLI)', () => {
    expect(path.basename(packageRoot())).toBe(path.basename(path.resolve(import.meta.dirname, '../..')));
  });
});
