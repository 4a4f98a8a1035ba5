import type { BenchSuite } from '../harness.js';
import { signSuite } from './sign.js';
import { issuanceFlowSuite } from './issuance-flow.js';
import { statusSuite } from './status.js';
import { mintSuite } from './mint.js';

/** Every benchmark suite, in run order. Each role adds its own file here. */
export const suites: BenchSuite[] = [signSuite, issuanceFlowSuite, statusSuite, mintSuite];
