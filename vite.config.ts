import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { claimsValidatorSource } from './schemas/resident-identity/standalone.ts';

/**
 * The browser pages (docs: the "Screens" section of the README): one multi-page build into
 * dist/web/<page>/index.html. A page whose index.html is not there yet is simply left out.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const pages: Record<string, string> = {
  kiosk: 'verifier/web/kiosk/index.html',
  console: 'issuer/web/console/index.html',
  wallet: 'holder/web/wallet/index.html',
};
const input = Object.fromEntries(
  Object.entries(pages)
    .filter(([, file]) => existsSync(`${root}${file}`))
    .map(([name, file]) => [name, `${root}${file}`]),
);

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    // No inline scripts or data-URL modules: the pages' CSP allows scripts from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: { input },
  },
  plugins: [
    {
      // The identity claims schema's validator compiled at build time (ajv standalone, the server's
      // options): the enrollment console validates with it, as the CSP forbids ajv's run-time eval.
      name: 'netcred-claims-validator',
      resolveId: (id) => (id === 'virtual:netcred/claims-validator' ? '\0netcred-claims-validator' : undefined),
      load: (id) => (id === '\0netcred-claims-validator' ? claimsValidatorSource() : undefined),
    },
    {
      name: 'netcred-page-paths',
      // Vite writes each page at its source path; serve paths are dist/web/<page>/index.html.
      enforce: 'post',
      generateBundle(_options, bundle) {
        for (const [name, file] of Object.entries(pages)) {
          const asset = bundle[file];
          if (!asset) continue;
          asset.fileName = `${name}/index.html`;
          if (asset.type === 'asset' && typeof asset.source === 'string') {
            // The page moved (verifier/web/kiosk -> kiosk): its assets are served beside it, at <mount>/assets/ (core/http/static-pages.ts).
            asset.source = asset.source.replaceAll('"../../../assets/', '"./assets/');
          }
        }
      },
    },
  ],
});
