import type { Command } from 'commander';
import type { TypeAddOpts, TypeListOpts } from './type.run.js';

const impl = () => import('./type.run.js');

/** `netcred issuer type add DIR` / `type list`: credential types beyond the built-in resident identity (docs/issuer.md, Registering a credential type). */
export function registerIssuerType(issuer: Command): void {
  const type = issuer
    .command('type')
    .description('register credential types (JSON Schema, SD-JWT VC type metadata, profiles) beside the built-in resident identity');
  type
    .command('add')
    .description('register the credential type in DIR (type.json, claims.schema.json, type-metadata.json, profiles/*.dcql.json)')
    .argument('<dir>', 'the type directory')
    .option('--replace', 'replace a type already registered under the same vct')
    .option('--json', 'print the registered type as JSON')
    .action(async (dir: string, opts: TypeAddOpts, cmd: Command) => (await impl()).runTypeAdd(dir, opts, cmd));
  type
    .command('list')
    .description('list the credential types this issuer mints (built-in and registered)')
    .option('--json', 'print JSON')
    .action(async (opts: TypeListOpts, cmd: Command) => (await impl()).runTypeList(opts, cmd));
}
