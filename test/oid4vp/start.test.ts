import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRequest } from '../../holder/index.js';
import { PROFILES } from '../../schemas/index.js';
import { repoRoot } from '../helpers/cli.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

describe('npm start (netcred start): the issuer and the verifier app together', () => {
  const tmp = tempDir('netcred-oid4vp-start-');
  afterAll(() => tmp.cleanup());

  it('prints both URLs; the verifier trusts the issuer and serves OpenID4VP requests; SIGINT stops both', async () => {
    const [port, verifierPort] = [await freePort(), await freePort()];
    const home = path.join(tmp.dir, 'home');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli/main.ts'), 'start'], {
      cwd: repoRoot,
      env: { ...process.env, NETCRED_HOME: home, PORT: String(port), VERIFIER_PORT: String(verifierPort), NETCRED_VERIFIER_ADMIN_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('npx netcred wallet respond')) resolve();
        });
        void exited.then(() => reject(new Error(`start exited early: ${out}`)));
      });
      const verifierUrl = `http://127.0.0.1:${verifierPort}`;
      expect(out).toContain(`listening on   http://127.0.0.1:${port}`);
      expect(out).toContain(`listening on   ${verifierUrl}`);
      expect(out).toContain(`POST ${verifierUrl}/oid4vp/requests`);

      const health = (await (await fetch(`${verifierUrl}/health`)).json()) as { issuers: number };
      expect(health.issuers).toBe(1);
      const token = readFileSync(path.join(home, 'verifier', 'admin-token'), 'utf8').trim();
      const res = await fetch(`${verifierUrl}/oid4vp/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"profile":"upgraded"}',
      });
      expect(res.status).toBe(201);
      const created = (await res.json()) as { uri: string };
      const resolved = await resolveRequest(created.uri);
      expect(resolved.responseUri).toBe(`${verifierUrl}/oid4vp/responses`);
      expect(resolved.dcql).toEqual(PROFILES.upgraded);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
