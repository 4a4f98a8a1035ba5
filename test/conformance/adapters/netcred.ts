import path from 'node:path';
import type { LoadedCase } from '../../../conformance/index.js';
import { loadTrustBundle, verifyPresentation, type TrustStore } from '../../../verifier/index.js';
import { presentationOf, type PeerAdapter } from './common.js';

const stores = new Map<string, TrustStore>();

/** netcred's own library verifier (verifyPresentation) with the suite's trust bundle: the reference column. */
export const netcredAdapter: PeerAdapter = {
  name: 'netcred',
  verify: async (c: LoadedCase) => {
    const file = path.resolve(c.dir, c.file.files.trust_bundle);
    let trust = stores.get(file);
    if (!trust) stores.set(file, (trust = loadTrustBundle(file)));
    const r = verifyPresentation(presentationOf(c), { trust, nonce: c.file.params.nonce, aud: c.file.params.aud, now: c.file.params.now_epoch * 1000 });
    return r.valid ? { verdict: 'accept', said: 'valid' } : { verdict: 'reject', said: `${r.code}: ${r.message}`, code: r.code };
  },
};
