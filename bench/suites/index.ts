import type { BenchSuite } from '../harness.js';
import { signSuite } from './sign.js';

/** Every benchmark suite, in run order. Each role adds its own file here. */
export const suites: BenchSuite[] = [signSuite];
