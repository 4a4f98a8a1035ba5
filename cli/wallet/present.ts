import type { Command } from 'commander';
import type { PresentOptions } from './present.run.js';

/** Spelled out here so `--help` loads no holder code; test/cli checks it against DEFAULT_KIOSK_AUD. */
const KIOSK_AUD_HELP = 'netcred:kiosk';

export function registerWalletPresent(wallet: Command): void {
  wallet
    .command('present')
    .description('build an SD-JWT+KB presentation for a profile, a DCQL query or a list of claims, after showing what will be disclosed')
    .option(
      '--profile <name>',
      'lite (name, adult), upgraded (the full identity), or by name a profile of a registered credential type that the wallet learned from its issuer (wallet accept, wallet sync): the wallet presents a credential whose type defines it',
    )
    .option('--dcql <file>', 'a DCQL query (JSON file, or - for stdin)')
    .option('--disclose <claims>', 'disclose exactly these claims of the credential, comma-separated (e.g. given_name,age_over_18 or address.locality)')
    .option(
      '--credential <id>',
      'present this credential (an id `netcred wallet list` prints, or its first 8+ characters) instead of the newest one that answers',
    )
    .option('--aud <aud>', `KB-JWT audience: the verifier's client_id, or the kiosk identifier (default $NETCRED_KIOSK_ID or ${KIOSK_AUD_HELP})`)
    .option('--nonce <nonce>', "the verifier's nonce (default: a fresh random 128-bit value)")
    .option('--qr <file.png>', 'also write the presentation as one QR code (NC1 transport) to a PNG file')
    .option('--qr-terminal', 'also draw the QR code on the terminal (on stderr: stdout keeps the presentation alone)')
    .option('--yes', 'do not ask for confirmation (scripts)')
    .option('--json', 'print {presentation, credentialQueryId, credentialId, disclosed, vpToken, aud, nonce, iat, qr: {payload, chars, version, file}}')
    .action(async (opts: PresentOptions, cmd: Command) => (await import('./present.run.js')).runWalletPresent(opts, cmd));
}
