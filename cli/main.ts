#!/usr/bin/env node
import { Command } from 'commander';
import { registerConformance } from './conformance/index.js';
import { registerDecode } from './decode.js';
import { registerDid } from './did.js';
import { registerDemo } from './demo/index.js';
import { registerIssuer } from './issuer/index.js';
import { registerVerifier } from './verifier/index.js';
import { registerWallet } from './wallet/index.js';
import { registerStart } from './start.js';
import { registerVectors } from './vectors/index.js';
import { registerVerify } from './verify.js';
import { runCli } from './run.js';
import { packageVersion } from './version.js';

const program = new Command('netcred')
  .description('Decentralized digital ID: SD-JWT VC issuer, PIN-locked wallet, offline verifier')
  .version(packageVersion(), '-V, --version', 'print the version')
  .option('--data <dir>', 'data directory (default: $NETCRED_HOME or ./.netcred)')
  .showHelpAfterError();

registerIssuer(program);
registerWallet(program);
registerVerifier(program);
registerVerify(program);
registerDecode(program);
registerDid(program);
registerStart(program);
registerDemo(program);
registerVectors(program);
registerConformance(program);

await runCli(program, process.argv);
