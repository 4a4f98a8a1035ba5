import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeSdJwt, qrInfo, type JwsAlg } from '../../core/index.js';
import { createKioskQr, importCredential, initWallet } from '../../holder/index.js';
import { issueCredential, startEphemeralIssuer } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import type { BenchRow, BenchSuite } from '../harness.js';

const SAMPLES = 20;

/** The byte budget of one lite QR: the issuer JWT, the disclosures and the KB-JWT of the presentation, and the NC1 payload. */
function parts(presentation: string): { jwt: number; disclosures: number; kbJwt: number } {
  const segs = presentation.split('~');
  return { jwt: segs[0]!.length, disclosures: segs.slice(1, -1).reduce((n, d) => n + d.length + 1, 0), kbJwt: segs.at(-1)!.length };
}

/**
 * Sizes, not speed (`npm run bench -- --only qr-size`): the QR version at error correction M of
 * the one-way kiosk QR (a lite presentation, NC1 transport, docs/qr-transport.md) for an EdDSA
 * and an ES256 issuer (real issuer on 127.0.0.1, real wallet), over SAMPLES credentials each
 * (the decoy count is random): from the lite companion (what the wallet presents) and from the
 * identity credential itself (what a wallet without the companion presents).
 */
export const qrSizeSuite: BenchSuite = {
  name: 'qr-size',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const alg of ['EdDSA', 'ES256'] as JwsAlg[]) {
      const issuer = await startEphemeralIssuer({
        alg,
        adminToken: 'bench-admin-token-0123456789abcdef',
        secret: 'bench-secret-0123456789abcdef0123',
        tmpPrefix: 'netcred-bench-qr-',
      });
      const dirs = [mkdtempSync(path.join(os.tmpdir(), 'netcred-bench-qr-w1-')), mkdtempSync(path.join(os.tmpdir(), 'netcred-bench-qr-w2-'))];
      try {
        // Two wallets of the same holder key kind: one files the companions, the other never sees them.
        const withCompanion = await initWallet(dirs[0]!, '482913', { kdf: { N: 1024, r: 8, p: 1 } });
        const without = await initWallet(dirs[1]!, '482913', { kdf: { N: 1024, r: 8, p: 1 } });
        const sizes = {
          companion: [] as { version: number; chars: number; p: ReturnType<typeof parts> }[],
          credential: [] as { version: number; chars: number; p: ReturnType<typeof parts> }[],
        };
        for (let i = 0; i < SAMPLES; i++) {
          const claims = sampleIdentityClaims({ birthdate: `19${50 + i}-04-05` });
          const a = await issueCredential(issuer.ctx, { holderDid: withCompanion.key.did, claims }, { liteCompanion: true });
          await importCredential(withCompanion.wallet, a.credential);
          await importCredential(withCompanion.wallet, a.companion!);
          const b = await issueCredential(issuer.ctx, { holderDid: without.key.did, claims });
          await importCredential(without.wallet, b.credential);
          for (const [kind, wallet, id] of [
            ['companion', withCompanion.wallet, a.id],
            ['credential', without.wallet, b.id],
          ] as const) {
            const qr = await createKioskQr(wallet, { credentialId: id });
            const info = qrInfo(qr.qrPayload);
            if (kind === 'companion' && !String(decodeSdJwt(qr.presentation).payload.vct).endsWith('/lite'))
              throw new Error('the wallet did not present the companion');
            sizes[kind].push({ version: info.version, chars: qr.qrPayload.length, p: parts(qr.presentation) });
          }
        }
        for (const kind of ['companion', 'credential'] as const) {
          const s = sizes[kind];
          const v = s.map((x) => x.version);
          const c = s.map((x) => x.chars);
          const max = (f: (x: (typeof s)[number]) => number) => Math.max(...s.map(f));
          rows.push({
            suite: 'qr-size',
            name: `lite kiosk QR, ${alg} issuer, from the ${kind === 'companion' ? 'lite companion' : 'identity credential'}`,
            opsPerSec: 0,
            extra: {
              versionMin: Math.min(...v),
              versionMax: Math.max(...v),
              ec: 'M',
              payloadChars: `${Math.min(...c)}-${Math.max(...c)}`,
              maxIssuerJwtChars: max((x) => x.p.jwt),
              maxDisclosureChars: max((x) => x.p.disclosures),
              maxKbJwtChars: max((x) => x.p.kbJwt),
              samples: SAMPLES,
            },
          });
        }
        await withCompanion.wallet.close();
        await without.wallet.close();
      } finally {
        await issuer.close();
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      }
    }
    return rows;
  },
};
