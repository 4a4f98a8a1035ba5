import type { DcqlQuery } from '../../core/dcql/types.js';
import { WalletError } from '../errors.js';
import { findCredential, listCredentials, type StoredCredentialInfo } from '../store/credentials.js';
import type { Wallet } from '../wallet.js';
import { listTypeProfiles } from './store.js';

/** What a learned profile name resolves to: its query, and the credential to present when the wallet must choose it. */
export type LearnedProfileChoice = { query: DcqlQuery; credentialId?: string };

const typeKey = (iss: string, vct: string | undefined) => JSON.stringify([iss, vct ?? null]);

/** The profile names the wallet learned, of every type, sorted (for messages). */
export async function learnedProfileNames(wallet: Wallet): Promise<string[]> {
  return [...new Set((await listTypeProfiles(wallet)).flatMap((l) => Object.keys(l.profiles)))].sort();
}

/** Newest first (imported later, then by id): a stable order, never a random pick. */
const newest = (list: StoredCredentialInfo[]) => [...list].sort((a, b) => b.importedAt - a.importedAt || (a.id < b.id ? -1 : 1))[0]!;

/**
 * A profile of a registered type, by name (`wallet present --profile NAME`): the query the
 * credential's own issuer defines for its type. With `credentialRef`, that credential, whose type
 * must define the name (CREDENTIAL_DOES_NOT_SATISFY). Otherwise the wallet presents a credential
 * whose issuer and type define it: when one query and only such credentials could answer it,
 * createPresentation chooses among them as for any query; when issuers define the name
 * differently, the newest usable credential decides. A name no learned type defines is
 * PROFILE_UNKNOWN, listing the names the wallet knows.
 */
export async function learnedProfileQuery(wallet: Wallet, name: string, credentialRef?: string): Promise<LearnedProfileChoice> {
  const learned = await listTypeProfiles(wallet);
  const byType = new Map(learned.filter((l) => Object.hasOwn(l.profiles, name)).map((l) => [typeKey(l.iss, l.vct), l.profiles[name]!]));
  if (byType.size === 0) {
    const known = [...new Set(learned.flatMap((l) => Object.keys(l.profiles)))].sort();
    throw new WalletError(
      'PROFILE_UNKNOWN',
      `unknown profile ${name}: --profile takes lite, upgraded${known.length ? ` or a profile of a registered type the wallet learned (${known.join(', ')})` : ' (the wallet learned no profile of a registered type)'}; the wallet learns a type's profiles from its issuer at wallet accept and wallet sync: if the issuer added it since, run netcred wallet sync`,
      { details: [{ path: 'profile', message: name }] },
    );
  }
  const creds = await listCredentials(wallet);
  if (credentialRef !== undefined) {
    const chosen = findCredential(creds, credentialRef);
    const query = byType.get(typeKey(chosen.iss, chosen.vct));
    if (!query)
      throw new WalletError(
        'CREDENTIAL_DOES_NOT_SATISFY',
        `credential ${chosen.id} (${chosen.vct ?? chosen.format} of ${chosen.iss}) is not of a type that defines profile ${name}`,
        {
          details: [{ path: 'credential', message: `its type defines no profile ${name}` }],
        },
      );
    return { query, credentialId: chosen.id };
  }
  const holding = creds.filter((c) => byType.has(typeKey(c.iss, c.vct)));
  if (holding.length === 0)
    throw new WalletError('DCQL_NOT_SATISFIED', `the wallet holds no credential of a type that defines profile ${name}`, {
      details: [{ path: 'profile', message: name }],
    });
  const queries = [...new Set(holding.map((c) => JSON.stringify(byType.get(typeKey(c.iss, c.vct)))))];
  const vcts = new Set(holding.map((c) => c.vct));
  // Another issuer's credential of the same vct must not answer this issuer's profile.
  const strangers = creds.some((c) => vcts.has(c.vct) && !byType.has(typeKey(c.iss, c.vct)));
  if (queries.length === 1 && !strangers) return { query: JSON.parse(queries[0]!) as DcqlQuery };
  const nowSec = Math.floor(wallet.now() / 1000);
  const usable = holding.filter((c) => c.state === 'valid' && (c.expiresAt === undefined || c.expiresAt > nowSec));
  const chosen = newest(usable.length ? usable : holding);
  return { query: byType.get(typeKey(chosen.iss, chosen.vct))!, credentialId: chosen.id };
}
