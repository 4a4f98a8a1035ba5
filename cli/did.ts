import type { Command } from 'commander';
import type { DidResolveOpts } from './did.run.js';

/** `netcred did resolve DID`: the DID document, from core's resolver (did:key, did:jwk offline; did:web with --allow-network). */
export function registerDid(program: Command): void {
  const did = program.command('did').description('DID tools: resolve a did:key, did:jwk or did:web to its DID document');
  did
    .command('resolve')
    .description(
      'print the DID document of a DID (did:key and did:jwk offline; did:web only with --allow-network). Exit 2 for a DID that is invalid, unsupported or not found',
    )
    .argument('<did>', 'the DID (did:key:..., did:jwk:..., did:web:...)')
    .option('--allow-network', 'fetch did:web documents over HTTPS (bounded in size and time); off by default')
    .option('--json', 'print JSON (the default; errors as {error} on stdout)')
    .action(async (id: string, opts: DidResolveOpts) => (await import('./did.run.js')).runDidResolve(id, opts));
}
