#!/usr/bin/env node
import { Command } from 'commander';
import { registerDecode } from './decode.js';
import { registerDemo } from './demo.js';
import { registerIssuer } from './issuer.js';
import { registerVerifier } from './verifier.js';
import { registerWallet } from './wallet.js';
import { registerStart } from './start.js';
import { registerVerify } from './verify.js';
import { runCli } from './run.js';
import { registerWalletAccept } from './wallet-accept.js';
import { registerWalletRespond } from './wallet-respond.js';
import { registerVerifierRequest } from './verifier-request.js';

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
registerDemo(program);

// Protocol commands live in their own files but hang under the role's command.
const sub = (name: string): Command => program.commands.find((c) => c.name() === name) ?? program.command(name);
registerWalletAccept(sub('wallet'));
registerWalletRespond(sub('wallet'));
registerVerifierRequest(sub('verifier'));

await runCli(program, process.argv);
