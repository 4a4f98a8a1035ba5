import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { DIDDocument } from '../core/did/document.js';
import { createDidResolver } from '../core/did/resolve.js';
import { InvalidInputError, NetcredError } from '../core/errors.js';
import type { JwsAlg } from '../core/jose/alg.js';
import { createIssuerAgent } from './agent/create-agent.js';
import { createIssuerIdentifier, loadIssuerIdentity } from './agent/identity.js';
import { issuerIdentifier, issuerIdProblem, parseIssuerIdKind, type IssuerIdKind } from './issuer-id.js';
import { checkIssuerChain, chainFileOf, readIssuerChain, writeIssuerChain } from './x509/chain-file.js';
import { createDevChain } from './x509/dev-ca.js';
import { agentSigner } from './agent/signer.js';
import {
  adminTokenFromEnv,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  DEFAULT_PUBLIC_URL,
  DEFAULT_STATUS_LIST_SIZE,
  DEFAULT_STATUS_TTL_SECONDS,
  DEFAULT_STATUS_VALIDITY_SECONDS,
  issuerPaths,
  newAdminToken,
  normalizePublicUrl,
  parseStoreUrl,
  storeUrlFromEnv,
  parseAlg,
  parseDidMethod,
  readIssuerConfig,
  timingProblem,
  writeIssuerConfig,
  type DidMethod,
  type StoredIssuerConfig,
} from './config.js';
import type { IssuerContext } from './context.js';
import { DEFAULT_OAUTH_POLICY, oauthPolicyOf, oauthPolicyProblem, type OAuthPolicy } from './oauth-policy.js';
import { assertSecretMatches, secretCheckValue } from './secrets/check.js';
import { deriveInternalKey, purposeKeys } from './secrets/derive.js';
import { createKeyFile, externalSecret, readKeyFile, type IssuerSecret } from './secrets/secret.js';
import { timingOf } from './settings.js';
import { assertIssuerStoreFile } from './store/check-file.js';
import { describeStore, openIssuerDataSource } from './store/data-source.js';

/**
 * How initIssuer creates an issuer in `dataDir`: DID method, algorithm, public URL, secret, admin token,
 * credential lifetime and the other settings `netcred issuer init` takes.
 */
export type InitIssuerOptions = {
  dataDir: string;
  didMethod?: DidMethod;
  alg?: JwsAlg;
  publicUrl?: string;
  /** The issuer secret; else $NETCRED_SECRET; else a key file is generated. */
  secret?: string;
  /** The admin token; else $NETCRED_ADMIN_TOKEN; else generated. */
  adminToken?: string;
  /** Credential lifetime (default 365 days). */
  credentialTtlSeconds?: number;
  /** `ttl` of published status lists (default 300 s). */
  statusTtlSeconds?: number;
  /** Validity of published status lists (default 24 h): bounds how long a verifier can work offline. */
  statusValiditySeconds?: number;
  /** HAIP and wallet attestation at the OpenID4VCI authorization server (default: neither). */
  oauth?: Partial<OAuthPolicy>;
  /** What `iss` is: the issuer DID (default) or the public URL (issuer/issuer-id.ts); `x509` implies `url`. */
  issuerId?: IssuerIdKind;
  /** Create a development CA and a leaf certificate for the issuer key: credentials then carry `x5c`. */
  x509?: boolean | { leafDays?: number };
  /** The public URL is the local address `netcred start` listens on, and follows its port (issuer/public-url.ts). */
  publicUrlFollowsPort?: boolean;
  /**
   * A PostgreSQL database (postgres:// URL) for the issuer's state instead of the SQLite file
   * in the data dir; else $NETCRED_STORE_URL. Recorded in config.json; the database must hold
   * no issuer yet.
   */
  store?: string;
};

/** How openIssuer opens an initialized issuer: its data directory, the secret (else the key file) and the store. */
export type OpenIssuerOptions = {
  dataDir: string;
  secret?: string;
  /** The PostgreSQL URL to open instead of the one config.json records (else $NETCRED_STORE_URL, else config.json). */
  store?: string;
};

/** Refuses a PostgreSQL database that already holds an issuer (Veramo's identifiers). */
async function assertNoIssuerIn(ds: DataSource, store: string): Promise<void> {
  const [{ n }] = (await ds.query('SELECT COUNT(*) AS "n" FROM "identifier"')) as [{ n: number }];
  if (Number(n) > 0)
    throw new NetcredError(
      'ISSUER_EXISTS',
      `the database ${describeStore(store)} already holds an issuer: open it with the data dir that was created with it, or give an empty database`,
    );
}

/**
 * Creates an issuer in `<dataDir>/issuer/`: the secret (key file, mode 0600, unless
 * NETCRED_SECRET is set), the SQLite store, the issuer DID and key, then config.json last,
 * so an interrupted init leaves no issuer that looks complete.
 */
export async function initIssuer(opts: InitIssuerOptions): Promise<IssuerContext> {
  const didMethod = parseDidMethod(opts.didMethod ?? 'key');
  const alg = parseAlg(opts.alg ?? 'EdDSA');
  const publicUrl = normalizePublicUrl(opts.publicUrl ?? DEFAULT_PUBLIC_URL);
  const adminToken = opts.adminToken ?? adminTokenFromEnv() ?? newAdminToken();
  const timing = {
    credentialTtlSeconds: opts.credentialTtlSeconds,
    statusTtlSeconds: opts.statusTtlSeconds,
    statusValiditySeconds: opts.statusValiditySeconds,
  };
  const problem = timingProblem(timing);
  if (problem) throw new InvalidInputError(`${problem.path} ${problem.message}`, [problem]);
  const oauth: OAuthPolicy = { ...DEFAULT_OAUTH_POLICY, ...opts.oauth };
  const oauthProblem = oauthPolicyProblem(oauth);
  if (oauthProblem) throw new InvalidInputError(`${oauthProblem.path} ${oauthProblem.message}`, [oauthProblem]);
  if (opts.x509 && opts.issuerId === 'did')
    throw new InvalidInputError('an X.509 issuer needs a URL identifier: the certificate names the public URL, never a DID', [
      { path: 'issuerId', message: 'must be url with x509' },
    ]);
  const issuerIdKind = opts.x509 ? 'url' : parseIssuerIdKind(opts.issuerId ?? 'did');
  const idProblem = issuerIdProblem(issuerIdKind, publicUrl);
  if (idProblem) throw new InvalidInputError(idProblem.message, [idProblem]);
  const external = externalSecret(opts.secret);
  const store = opts.store !== undefined ? parseStoreUrl(opts.store, '--store') : storeUrlFromEnv();
  const paths = issuerPaths(opts.dataDir);
  if (existsSync(paths.config)) {
    throw new NetcredError(
      'ISSUER_EXISTS',
      `an issuer already exists in ${paths.dir} (\`npm start\` creates one in ./.netcred): use it as it is (netcred issuer show), or create another in a new data dir with --data DIR or NETCRED_HOME=DIR`,
    );
  }
  if (existsSync(paths.database) || existsSync(paths.keyFile)) {
    throw new NetcredError('ISSUER_EXISTS', `an unfinished issuer exists in ${paths.dir} (no config.json); remove that folder to start again`);
  }
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });

  let secret: IssuerSecret | undefined;
  let ds: DataSource | undefined;
  try {
    secret = external ?? createKeyFile(paths.keyFile);
    if (store) {
      ds = await openIssuerDataSource(store);
      await assertNoIssuerIn(ds, store);
    } else {
      // Created empty first so the store (and SQLite's -wal/-shm, which copy its mode) is 0600.
      writeFileSync(paths.database, '', { mode: 0o600, flag: 'wx' });
      ds = await openIssuerDataSource(paths.database);
    }
    const agent = createIssuerAgent({
      dataSource: ds,
      sealingKey: deriveInternalKey(secret.material, 'private-keys'),
      resolverOptions: { allowNetwork: true },
    });
    const did = await createIssuerIdentifier(agent, { didMethod, alg, publicUrl });
    if (opts.x509) {
      // The chain is written before config.json: an issuer that looks complete has its certificate.
      const identity = await loadIssuerIdentity(agent, did, alg);
      const leafDays = typeof opts.x509 === 'object' ? opts.x509.leafDays : undefined;
      writeIssuerChain(
        opts.dataDir,
        checkIssuerChain(await createDevChain({ jwk: identity.jwk, issuerUrl: publicUrl, leafDays }), { jwk: identity.jwk, issuerId: publicUrl }).certificates,
      );
    }
    const stored: StoredIssuerConfig = {
      version: 1,
      did,
      didMethod,
      alg,
      publicUrl,
      adminToken,
      statusListSize: DEFAULT_STATUS_LIST_SIZE,
      credentialTtlSeconds: timing.credentialTtlSeconds ?? DEFAULT_CREDENTIAL_TTL_SECONDS,
      statusTtlSeconds: timing.statusTtlSeconds ?? DEFAULT_STATUS_TTL_SECONDS,
      statusValiditySeconds: timing.statusValiditySeconds ?? DEFAULT_STATUS_VALIDITY_SECONDS,
      ...(opts.oauth === undefined ? {} : { oauth }),
      ...(issuerIdKind === 'did' ? {} : { issuerId: issuerIdKind }),
      ...(opts.publicUrlFollowsPort ? { publicUrlFollowsPort: true } : {}),
      ...(store ? { store } : {}),
      secretCheck: secretCheckValue(secret.material),
      secretSource: external ? 'external' : 'file',
      createdAt: new Date().toISOString(),
    };
    await ds.destroy();
    ds = undefined;
    writeIssuerConfig(paths.config, stored);
  } catch (err) {
    if (ds?.isInitialized) await ds.destroy().catch(() => undefined);
    const sqliteFiles = store ? [] : [paths.database, `${paths.database}-wal`, `${paths.database}-shm`];
    for (const f of [...sqliteFiles, chainFileOf(opts.dataDir), ...(external ? [] : [paths.keyFile])]) rmSync(f, { force: true });
    throw err;
  }
  return openIssuer({ dataDir: opts.dataDir, secret: opts.secret, store });
}

function secretFor(stored: StoredIssuerConfig, keyFile: string, explicit?: string): IssuerSecret {
  const external = externalSecret(explicit);
  if (external) return external;
  if (stored.secretSource === 'external') {
    throw new NetcredError('SECRET_MISSING', 'this issuer was initialized with NETCRED_SECRET: set it to the same value');
  }
  return readKeyFile(keyFile);
}

/**
 * Opens an initialized issuer. The secret is checked against config.json before the database
 * is opened, so a wrong secret changes nothing in the data dir.
 */
export async function openIssuer(opts: OpenIssuerOptions): Promise<IssuerContext> {
  const paths = issuerPaths(opts.dataDir);
  const stored = readIssuerConfig(paths.config);
  const secret = secretFor(stored, paths.keyFile, opts.secret);
  assertSecretMatches(
    secret.material,
    stored.secretCheck,
    secret.source === 'file' ? `key file ${paths.keyFile}` : secret.source === 'env' ? 'NETCRED_SECRET' : 'given secret',
  );
  // A URL given here or in the environment overrides the one init recorded.
  const store = opts.store !== undefined ? parseStoreUrl(opts.store, '--store') : (storeUrlFromEnv() ?? stored.store);
  if (!store) {
    if (!existsSync(paths.database)) throw new NetcredError('ISSUER_CORRUPT', `the issuer database ${paths.database} is missing`);
    await assertIssuerStoreFile(paths.database);
  }
  const ds = await openIssuerDataSource(store ?? paths.database);
  try {
    // Holder DIDs resolve over the network; the issuer's own did:web document is pinned
    // (filled in once loaded: the resolvers read the map at call time).
    const pinned = new Map<string, DIDDocument>();
    const resolverOptions = { allowNetwork: true, webDocuments: pinned };
    const agent = createIssuerAgent({ dataSource: ds, sealingKey: deriveInternalKey(secret.material, 'private-keys'), resolverOptions });
    const identity = await loadIssuerIdentity(agent, stored.did, stored.alg);
    if (stored.didMethod === 'web') pinned.set(identity.did, identity.didDocument);
    const issuerIdKind = stored.issuerId ?? 'did';
    const signing = issuerIdentifier(issuerIdKind, identity, stored.publicUrl);
    const chain = readIssuerChain(opts.dataDir, identity.jwk);
    if (chain && issuerIdKind === 'did')
      throw new NetcredError(
        'ISSUER_CONFIG_INVALID',
        `${chainFileOf(opts.dataDir)} holds a certificate chain but the issuer identifier is its DID, which no certificate names`,
      );
    let closed = false;
    return {
      config: {
        dataDir: path.resolve(opts.dataDir),
        publicUrl: stored.publicUrl,
        adminToken: adminTokenFromEnv() ?? stored.adminToken,
        statusListSize: stored.statusListSize,
        ...timingOf(stored),
        didMethod: stored.didMethod,
        alg: stored.alg,
        oauth: oauthPolicyOf(stored),
        issuerIdKind,
      },
      agent,
      dataSource: ds,
      issuerDid: identity.did,
      didDocument: identity.didDocument,
      issuerId: signing.id,
      issuerJwk: { ...identity.jwk, kid: signing.kid },
      ...(chain ? { x5c: chain.x5c } : {}),
      signer: agentSigner(agent, identity.keyRef, stored.alg, signing.kid, chain?.x5c),
      resolver: createDidResolver(resolverOptions),
      deriveKey: purposeKeys(secret.material),
      async close() {
        if (closed) return;
        closed = true;
        if (ds.isInitialized) await ds.destroy();
      },
    };
  } catch (err) {
    await ds.destroy().catch(() => undefined);
    throw err;
  }
}
