import type { KeyObject, X509Certificate } from 'node:crypto';
import type { PublicJwk } from '../../core/jose/jwk.js';
import { issuerKeyByKid, issuerKeyFromX5c, issuerKeyMechanism, type IssuerKeyMechanism } from '../../core/vc/issuer-key.js';
import { isUrlIssuer } from '../../core/vc/jwt-vc-issuer.js';
import { VerificationError } from '../errors.js';
import { listBindingError } from '../status/list-binding.js';
import { parseTrustBundle, TrustBundleError, type TrustBundle, type TrustedIssuer, type X509RootEntry } from './bundle.js';
import { importIssuerKeys, type IssuerKey } from './issuer-keys.js';
import { loadStatusList, type CachedStatusList } from './status-lists.js';
import { compileTypeMetadata, type CompiledTypeMetadata } from './type-metadata.js';
import { loadX509Roots } from './x509-roots.js';
import { syncCommand } from '../sync-hint.js';

/** A trusted issuer in memory. `refused`: why its JWT VC Issuer Metadata is not used (its keys are not). */
export type StoreIssuer = { entry: TrustedIssuer; vct: ReadonlySet<string>; keys: IssuerKey[]; refused?: string };

/** The key an issuer JWT must verify with, the issuer it stands for, and how it was found. */
export type ResolvedIssuerKey = { key: KeyObject; jwk?: PublicJwk; kid?: string; issuer: StoreIssuer; mechanism: IssuerKeyMechanism };

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
  /** Trusted X.509 roots: x5c chains must end at one of them. */
  private readonly anchors: X509Certificate[];
  private readonly rootEntries: readonly X509RootEntry[];

  constructor(bundle: unknown) {
    this.bundle = parseTrustBundle(bundle);
    for (const entry of this.bundle.issuers) {
      // JWT VC Issuer Metadata that named another issuer MUST NOT be used: the issuer stays,
      // keyless, and its credentials are ISSUER_METADATA_INVALID (sync never stores such metadata).
      const m = entry.jwtVcIssuer;
      if (m && m.issuer !== entry.id) {
        this.issuers.set(entry.id, {
          entry,
          vct: new Set(entry.vct),
          keys: [],
          refused: `the JWT VC Issuer Metadata at ${m.uri} names the issuer ${m.issuer}, not ${entry.id}`,
        });
        continue;
      }
      this.issuers.set(entry.id, { entry, vct: new Set(entry.vct), keys: importIssuerKeys(entry) });
    }
    this.rootEntries = this.bundle.x509Roots ?? [];
    this.anchors = loadX509Roots(this.rootEntries);
    for (const t of this.bundle.typeMetadata) this.types.set(t.vct, compileTypeMetadata(t));
    for (const s of this.bundle.statusLists) {
      const issuer = this.issuers.get(s.issuer);
      if (!issuer) throw new TrustBundleError(`status list ${s.uri} belongs to ${s.issuer}, which is not a trusted issuer`);
      if (issuer.refused) {
        this.lists.delete(s.uri);
        this.refused.set(s.uri, issuer.refused);
        continue;
      }
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
   * The key that must have signed an issuer JWT of `iss` with this protected header, found in the
   * order of core/vc/issuer-key.ts, at `now` (seconds):
   *
   * 1. `x5c` in the header: the chain must end at one of the bundle's X.509 roots and its leaf
   *    name `iss` (X509_*); the issuer is the bundle's entry for `iss`, else one the root
   *    vouches for (the root's types).
   * 2. `iss` an https URL: its JWT VC Issuer Metadata keys in the bundle, by `kid`.
   * 3. `iss` a DID: its keys, by `kid`.
   *
   * Unknown issuer: ISSUER_UNTRUSTED; a kid that is not one of its keys: KID_MISMATCH; metadata
   * that named another issuer: ISSUER_METADATA_INVALID.
   */
  issuerKey(iss: unknown, header: Record<string, unknown>, now: number): ResolvedIssuerKey {
    const mechanism = issuerKeyMechanism(header, iss);
    const id = iss as string;
    if (mechanism === 'x5c') {
      if (this.anchors.length === 0)
        throw new VerificationError(
          'X509_UNTRUSTED',
          'the credential carries an x5c chain and the trust bundle holds no X.509 root (netcred verifier trust add-cert)',
        );
      const chain = issuerKeyFromX5c(header.x5c, id, { anchors: this.anchors, now });
      const issuer = this.issuers.get(id) ?? this.certifiedIssuer(id, chain.anchor);
      return { key: chain.publicKey, issuer, mechanism };
    }
    const issuer = this.issuers.get(id);
    if (!issuer)
      throw new VerificationError(
        'ISSUER_UNTRUSTED',
        `issuer ${id} is not in the trust bundle: if it is one to trust, add it while online with ${syncCommand(isUrlIssuer(id) ? id : undefined)}`,
      );
    if (issuer.refused) throw new VerificationError('ISSUER_METADATA_INVALID', issuer.refused);
    const key = issuerKeyByKid(issuer.keys, header.kid, id);
    return { key: key.key, jwk: key.jwk, ...(key.kid !== undefined ? { kid: key.kid } : {}), issuer, mechanism };
  }

  /** An issuer known only through the X.509 root its chain ends at: trusted for that root's types. */
  private certifiedIssuer(id: string, anchor: X509Certificate): StoreIssuer {
    const root = this.rootEntries.find((r) => r.sha256 === anchor.fingerprint256);
    const vct = root?.vct ?? [];
    return { entry: { id, vct, addedAt: root?.addedAt ?? this.bundle.updatedAt }, vct: new Set(vct), keys: [] };
  }

  /** Trusted X.509 roots (subject, fingerprint, types), as the bundle lists them. */
  x509Roots(): readonly X509RootEntry[] {
    return this.rootEntries;
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

  /** The usable lists, decoded (the kiosk's bundle status: fetch time, ttl, exp). */
  statusLists(): CachedStatusList[] {
    return [...this.lists.values()];
  }

  /** Usable lists (refused ones not counted). */
  get statusListCount(): number {
    return this.lists.size;
  }
}
