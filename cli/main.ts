#!/usr/bin/env node
import { Command } from 'commander';
import { registerDecode } from './decode.js';
import { registerIssuer } from './issuer.js';
import { registerVerifier } from './verifier.js';
import { registerWallet } from './wallet.js';
import { registerStart } from './start.js';
import { registerVerify } from './verify.js';
import { runCli } from './run.js';

const program = new Command('netcred')
  .description('Decentralized digital ID: SD-JWT VC issuer, PIN-locked wallet, offline verifier')
  .option('--data <dir>', 'data directory (default: $NETCRED_HOME or ./.netcred)')
  .showHelpAfterError();

registerIssuer(program);
registerWallet(program);
registerVerifier(program);
registerVerify(program);
registerDecode(program);
registerStart(program);

await runCli(program, process.argv);
