import { NetcredError } from '../../core/errors.js';
import { signCompact } from '../../core/jose/sign.js';
import { Bitstring } from '../../core/status/bitstring.js';
import { signStatusListToken } from '../../core/status/status-list-token.js';
import { StatusList } from '../../core/status/status-list.js';
import type { IssuerContext } from '../context.js';
import { aggregationUri, bitstringCredentialUri } from './list-uris.js';
import { bitstringSizeOf } from './list-size.js';
import { allLists, changedEntries, listById, setEntries, type ListRow } from './store.js';
import { unenvelope } from '../../core/vc/envelope.js';
import { VC_V2_CONTEXT } from '../../core/vc/vcdm2.js';
import { runExclusive } from '../store/write-lock.js';

/** How status lists are published: their `ttl`, a token's validity, and how long before expiry it is re-signed (seconds). */
export type PublishOptions = {
  /** `ttl` claim and HTTP max-age: how long a verifier may reuse a fetched list. */
  ttlSeconds: number;
  /** exp - iat of each signed token or list credential. */
  validitySeconds: number;
  /** Re-sign an unchanged list once less than this is left before its exp. */
  refreshBeforeSeconds: number;
};

/** Default status list publication: `ttl` 5 minutes, tokens valid 24 hours, re-signed 12 hours before they expire. */
export const DEFAULT_PUBLISH_OPTIONS: PublishOptions = { ttlSeconds: 300, validitySeconds: 24 * 3600, refreshBeforeSeconds: 12 * 3600 };

export type BitstringPurpose = 'revocation' | 'suspension';

/** A signed artifact ready to serve; `version` is the list version it was built from. */
export type Published = { body: string; version: number; iat: number; exp: number; ttl: number };

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function parseListId(id: unknown): number | undefined {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,9}$/.test(id)) return undefined;
  return Number(id);
}

/** The current content of one list in memory, at a known version. */
type Base = { version: number; list: StatusList; revocation: Bitstring; suspension: Bitstring };

function apply(base: Base, entries: Array<{ idx: number; status: number }>): void {
  for (const e of entries) {
    base.list.set(e.idx, e.status);
    base.revocation.set(e.idx, e.status === 1);
    base.suspension.set(e.idx, e.status === 2);
  }
}

/**
 * Serves signed status lists from a per-process cache. Each request reads the list's version
 * (one indexed row, so a change committed by another process, e.g. the CLI, is seen at once);
 * only a changed list, or one whose exp comes near, is signed again, and a change costs the
 * changed entries (seq > the version held), one compression and one signature.
 */
export class StatusPublisher {
  private readonly cache = new Map<string, Published>();
  private readonly pending = new Map<string, Promise<Published>>();
  private readonly bases = new Map<number, Base>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing = false;
  private refreshAgain = false;

  constructor(
    private readonly ctx: IssuerContext,
    readonly options: PublishOptions = DEFAULT_PUBLISH_OPTIONS,
  ) {}

  /** The signed IETF status list token of a list, or undefined for an unknown list. */
  token(listId: number | string): Promise<Published | undefined> {
    return this.serve(listId, 'token');
  }

  /** The W3C BitstringStatusListCredential (vc+jwt) of one purpose of a list. */
  bitstringCredential(listId: number | string, purpose: BitstringPurpose): Promise<Published | undefined> {
    if (purpose !== 'revocation' && purpose !== 'suspension') throw new NetcredError('INVALID_INPUT', 'purpose must be revocation or suspension');
    return this.serve(listId, purpose);
  }

  /**
   * Keeps served lists signed ahead of requests: every `intervalMs` (and right after a change
   * made in this process, see notifyStatusChanged) each list that was served before and whose
   * version moved or whose exp comes near is signed again in the background, so a request
   * finds it ready. Changes by other processes (the CLI) are picked up by the poll, or by the
   * request itself if it comes first. The timer does not keep the process alive and stops once
   * the data source is closed.
   */
  startBackgroundRefresh(intervalMs = 2000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.refreshSoon(), intervalMs);
    this.timer.unref();
  }

  stopBackgroundRefresh(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Schedules one refresh pass (coalesced: at most one runs at a time). */
  refreshSoon(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    setImmediate(() => {
      this.refreshStale()
        .catch((err: unknown) => {
          // Closing the issuer while a pass runs is not a failure worth reporting.
          if (this.ctx.dataSource.isInitialized)
            process.stderr.write(`status: background refresh failed: ${err instanceof Error ? err.message : String(err)}\n`);
        })
        .finally(() => {
          this.refreshing = false;
          if (this.refreshAgain) {
            this.refreshAgain = false;
            this.refreshSoon();
          }
        });
    });
  }

  private async refreshStale(): Promise<void> {
    const ds = this.ctx.dataSource;
    if (!ds.isInitialized) {
      this.stopBackgroundRefresh();
      return;
    }
    const lists = await runExclusive(ds, () => allLists(ds.manager));
    const now = nowSeconds();
    for (const row of lists) {
      for (const kind of ['token', 'revocation', 'suspension'] as const) {
        const cached = this.cache.get(`${row.id}:${kind}`);
        // Lists nobody asked for are not kept warm; they are built on their first request.
        if (!cached || (cached.version === row.version && cached.exp - now > this.options.refreshBeforeSeconds)) continue;
        if (!ds.isInitialized) return;
        await this.serve(row.id, kind);
      }
    }
  }

  /** What a request for this list would be served from the cache right now (no I/O). */
  peek(listId: number, kind: 'token' | BitstringPurpose): Published | undefined {
    return this.cache.get(`${listId}:${kind}`);
  }

  /** Every list URI of this issuer (status list aggregation). */
  async aggregation(): Promise<{ status_lists: string[] }> {
    const lists = await runExclusive(this.ctx.dataSource, () => allLists(this.ctx.dataSource.manager));
    return { status_lists: lists.map((l) => l.uri) };
  }

  private async serve(rawId: number | string, kind: 'token' | BitstringPurpose): Promise<Published | undefined> {
    const id = parseListId(rawId);
    if (id === undefined) return undefined;
    const ds = this.ctx.dataSource;
    const row = await runExclusive(ds, () => listById(ds.manager, id));
    if (!row) return undefined;
    const key = `${id}:${kind}`;
    const cached = this.cache.get(key);
    if (cached && cached.version === row.version && cached.exp - nowSeconds() > this.options.refreshBeforeSeconds) return cached;
    const pendingKey = `${key}:${row.version}`;
    let job = this.pending.get(pendingKey);
    if (!job) {
      job = this.build(row, kind).finally(() => this.pending.delete(pendingKey));
      this.pending.set(pendingKey, job);
    }
    const built = await job;
    const current = this.cache.get(key);
    if (!current || current.version <= built.version) this.cache.set(key, built);
    return built;
  }

  /**
   * Brings the in-memory list to the stored version and copies out what `kind` needs. The
   * version is read BEFORE the entries: the content is never older than its label (a change
   * committed in between is applied early and harmlessly again next time).
   */
  private snapshot(row: ListRow, kind: 'token' | BitstringPurpose): Promise<{ version: number; list?: StatusList; bits?: Bitstring }> {
    const ds = this.ctx.dataSource;
    return runExclusive(ds, async () => {
      const version = (await listById(ds.manager, row.id))!.version;
      let base = this.bases.get(row.id);
      if (!base) {
        base = {
          version,
          list: new StatusList(row.size, row.bits),
          revocation: new Bitstring(bitstringSizeOf(row.size)),
          suspension: new Bitstring(bitstringSizeOf(row.size)),
        };
        apply(base, await setEntries(ds.manager, row.id));
        this.bases.set(row.id, base);
      } else if (base.version !== version) {
        apply(base, await changedEntries(ds.manager, row.id, base.version));
        base.version = version;
      }
      if (kind === 'token') return { version, list: new StatusList(row.size, row.bits, base.list.data.slice()) };
      return { version, bits: new Bitstring(base[kind].size, base[kind].data.slice()) };
    });
  }

  private async build(row: ListRow, kind: 'token' | BitstringPurpose): Promise<Published> {
    const { version, list, bits } = await this.snapshot(row, kind);
    const iat = nowSeconds();
    const { ttlSeconds: ttl, validitySeconds } = this.options;
    const exp = iat + validitySeconds;
    const body =
      kind === 'token'
        ? await signStatusListToken(this.ctx.signer, {
            uri: row.uri,
            list: list!,
            iat,
            exp,
            ttl,
            aggregationUri: aggregationUri(this.ctx),
            iss: this.ctx.issuerId,
          })
        : await this.signListCredential(row, kind, bits!, iat, exp, ttl);
    return { body, version, iat, exp, ttl };
  }

  private async signListCredential(row: ListRow, purpose: BitstringPurpose, bits: Bitstring, iat: number, exp: number, ttl: number): Promise<string> {
    const id = bitstringCredentialUri(row.uri, purpose);
    const credential = {
      '@context': [VC_V2_CONTEXT],
      id,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: this.ctx.issuerId,
      validFrom: new Date(iat * 1000).toISOString(),
      validUntil: new Date(exp * 1000).toISOString(),
      credentialSubject: { id: `${id}#list`, type: 'BitstringStatusList', statusPurpose: purpose, encodedList: bits.encode(), ttl: ttl * 1000 },
    };
    // An issuer whose `iss` is its URL signs directly (kid, x5c): Veramo's providers only sign as a DID.
    if (this.ctx.issuerId !== this.ctx.issuerDid)
      return signCompact({ typ: 'vc+jwt', cty: 'vc' }, { ...credential, iss: this.ctx.issuerId, iat, exp }, this.ctx.signer);
    let vc: unknown;
    try {
      // Veramo's CredentialPlugin mutates an @context ARRAY (it unshifts the VCDM 1.1 context into
      // it) and adds issuanceDate: hand it a copy with the context as a single string.
      vc = await this.ctx.agent.createVerifiableCredential({
        credential: { ...credential, '@context': credential['@context'][0]! },
        proofFormat: 'vc+jwt' as never,
      });
    } catch (err) {
      // Until the VCDM 2.0 provider is plugged in: the same VC-JOSE-COSE form, signed directly.
      if (err instanceof Error && err.message.includes('No provider found for the requested proof format')) {
        return signCompact({ typ: 'vc+jwt', cty: 'vc' }, { ...credential, iss: this.ctx.issuerId, iat, exp }, this.ctx.signer);
      }
      throw new NetcredError('STATUS_PUBLISH_FAILED', `signing the ${purpose} list credential failed: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
    const env = unenvelope(vc);
    if (env?.mediaType !== 'vc+jwt')
      throw new NetcredError('STATUS_PUBLISH_FAILED', 'the vc+jwt provider did not return a vc+jwt EnvelopedVerifiableCredential');
    return env.token;
  }
}

const publishers = new WeakMap<IssuerContext, StatusPublisher>();

/** The publisher of an issuer context (one cache per opened issuer). */
export function statusPublisher(ctx: IssuerContext): StatusPublisher {
  let p = publishers.get(ctx);
  if (!p) {
    const { statusTtlSeconds: ttlSeconds, statusValiditySeconds: validitySeconds } = ctx.config;
    p = new StatusPublisher(ctx, { ttlSeconds, validitySeconds, refreshBeforeSeconds: Math.floor(validitySeconds / 2) });
    publishers.set(ctx, p);
  }
  return p;
}

/** After a change committed in this process: re-sign ahead of the next request (if this issuer publishes). */
export function notifyStatusChanged(ctx: IssuerContext): void {
  publishers.get(ctx)?.refreshSoon();
}
