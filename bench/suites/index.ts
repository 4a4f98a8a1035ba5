import type { BenchSuite } from '../harness.js';
import { signSuite } from './sign.js';
import { issuanceFlowSuite } from './issuance-flow.js';
import { statusSuite } from './status.js';
import { mintSuite } from './mint.js';
import { verifySuite } from './verify.js';
import { oid4vpSuite } from './oid4vp.js';
import { qrSizeSuite } from './qr-size.js';
import { issuerHttpSuite } from './issuer-http.js';
import { verifierRedisSuite } from './verifier-redis.js';
import { issuerPgSuite } from './issuer-pg.js';

/** Every benchmark suite, in run order. Each role adds its own file here. */
export const suites: BenchSuite[] = [
  signSuite,
  issuanceFlowSuite,
  statusSuite,
  mintSuite,
  oid4vpSuite,
  verifySuite,
  qrSizeSuite,
  issuerHttpSuite,
  verifierRedisSuite,
  issuerPgSuite,
];
