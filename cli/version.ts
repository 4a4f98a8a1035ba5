import { readFileSync } from 'node:fs';

/**
 * netcred's version from its package.json, found upward from this module (dist/cli/ once built,
 * cli/ when run from source): `netcred --version`.
 */
export function packageVersion(): string {
  for (let url = new URL('../package.json', import.meta.url); ; ) {
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'netcred' && pkg.version) return pkg.version;
    } catch {
      // not here: one level up
    }
    const up = new URL('../package.json', new URL('.', url));
    if (up.href === url.href) return 'unknown';
    url = up;
  }
}
