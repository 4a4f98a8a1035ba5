import { startIssuer, type TestIssuer } from '../../helpers/issuer.js';

export type RealIssuer = TestIssuer;

/** The real issuer (initIssuer + serveIssuer) in a temp dir on 127.0.0.1; ES256 unless told. */
export function startRealIssuer(options: { alg?: 'EdDSA' | 'ES256' } = {}): Promise<RealIssuer> {
  return startIssuer({ alg: options.alg ?? 'ES256', tmpPrefix: 'netcred-holder-issuer-' });
}
