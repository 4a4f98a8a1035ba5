import type { KeyObject } from 'node:crypto';
import type { PublicJwk } from '../../core/jose/jwk.js';
import { VerificationError } from '../errors.js';
import { listBindingError } from '../status/list-binding.js';
import { parseTrustBundle, TrustBundleError, type TrustBundle, type TrustedIssuer } from './bundle.js';
import { importIssuerKeys, type IssuerKey } from './issuer-keys.js';
import { keyForKid, loadStatusList, type CachedStatusList } from './status-lists.js';
import { compileTypeMetadata, type CompiledTypeMetadata } from './type-metadata.js';

export type StoreIssuer = { entry: TrustedIssuer; vct: ReadonlySet<string>; keys: IssuerKey[] };

/**
 * The trust bundle in memory, built ONCE per load: issuer keys imported as KeyObjects, type
 * metadata schemas compiled, status lists verified and decoded into byte arrays. Verification
 * only reads from it; nothing here ever touches the network.
 */
export class TrustStore {
  readonly bundle: TrustBundle;
  private readonly issuers = new Map<string, StoreIssuer>();
  private readonly types = new Map<string, CompiledTypeMetadata>();
  private readonly lists = new Map<string, CachedStatusList>();
  /** Lists of the bundle refused at load (bound to another URL or issuer): URI to why. */
  private readonly refused = new Map<string, string>();

  constructor(bundle: unknown) {
    this.bundle = parseTrustBundle(bundle);
    for (const entry of this.bundle.issuers) {
      this.issuers.set(entry.id, { entry, vct: new Set(entry.vct), keys: importIssuerKeys(entry) });
    }
    for (const t of this.bundle.typeMetadata) this.types.set(t.vct, compileTypeMetadata(t));
    for (const s of this.bundle.statusLists) {
      const issuer = this.issuers.get(s.issuer);
      if (!issuer) throw new TrustBundleError(`status list ${s.uri} belongs to ${s.issuer}, which is not a trusted issuer`);
      const list = loadStatusList(s, issuer.keys);
      // A list bound to another URL or issuer is kept out of use: credentials that reference
      // s.uri get STATUS_LIST_MISMATCH, the rest of the bundle still works. (No clock here: an
      // expired list loads and is STATUS_LIST_STALE when used.) A later entry of a URI wins.
      const refused = listBindingError(list.self, { uri: s.uri, issuer: s.issuer });
      if (refused) {
        this.lists.delete(s.uri);
        this.refused.set(s.uri, refused.message);
      } else {
        this.refused.delete(s.uri);
        this.lists.set(s.uri, list);
      }
    }
  }

  issuer(id: string): StoreIssuer | undefined {
    return this.issuers.get(id);
  }

  issuerIds(): string[] {
    return [...this.issuers.keys()];
  }

  /**
   * The key that must have signed a credential of `iss` with header `kid`. Unknown issuer:
   * ISSUER_UNTRUSTED; a kid that is not one of that issuer's keys: KID_MISMATCH.
   */
  issuerKey(iss: unknown, kid: unknown): { key: KeyObject; jwk: PublicJwk; kid?: string } {
    if (typeof iss !== 'string') throw new VerificationError('ISSUER_UNTRUSTED', 'the credential has no iss');
    const issuer = this.issuers.get(iss);
    if (!issuer) throw new VerificationError('ISSUER_UNTRUSTED', `issuer ${iss} is not in the trust bundle`);
    if (iss.startsWith('did:') && typeof kid === 'string' && !kid.startsWith('#') && kid.split('#')[0] !== iss) {
      throw new VerificationError('KID_MISMATCH', `kid ${kid} does not belong to ${iss}`);
    }
    const key = keyForKid(issuer.keys, kid, iss);
    if (!key) throw new VerificationError('KID_MISMATCH', kid === undefined ? `${iss} has several keys and the credential names none` : `kid ${String(kid)} is not a key of ${iss}`);
    return key;
  }

  typeMetadata(vct: string): CompiledTypeMetadata | undefined {
    return this.types.get(vct);
  }

  statusList(uri: string): CachedStatusList | undefined {
    return this.lists.get(uri);
  }

  /** Why the list stored under `uri` was refused at load, or undefined. */
  refusedStatusList(uri: string): string | undefined {
    return this.refused.get(uri);
  }

  refusedStatusLists(): { uri: string; reason: string }[] {
    return [...this.refused].map(([uri, reason]) => ({ uri, reason }));
  }

  /** Usable lists (refused ones not counted). */
  get statusListCount(): number {
    return this.lists.size;
  }
}
