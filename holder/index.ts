/** Public API of the holder wallet (docs/wallet.md). */
export { initWallet, openWallet, unlockWallet, walletFile, Wallet, type WalletOptions, type InitWalletOptions } from './wallet.js';
export { generateHolderKey, isDidMethod, type DidMethod, type HolderKeyInfo } from './keys.js';
export { importCredential, credentialId, issuerCredentialId, type ImportOptions } from './import.js';
export {
  listCredentials,
  readCredential,
  deleteCredential,
  findCredential,
  MIN_ID_PREFIX,
  type StoredCredentialInfo,
  type CredentialState,
} from './store/credentials.js';
export { createPresentation, type PresentationRequest, type PresentationResult, type DisclosurePlan, type DisclosedClaim } from './present/create.js';
export { createKioskQr, DEFAULT_KIOSK_AUD, type KioskQrResult } from './present/kiosk.js';
/** The DCQL query for a list of claim paths of one credential (`netcred wallet present --disclose`). */
export { disclosureQuery, parseClaimList, MAX_DISCLOSE_CLAIMS } from './present/disclose.js';
export { appendKbJwt, type KbJwtInput } from './present/kb-jwt.js';
export { assertDcqlQuery, type DcqlQuery, type DcqlCredentialQuery, type DcqlClaimQuery, type ClaimsPathPointer } from './dcql/query.js';
export { syncWallet, type SyncOptions, type SyncReport, type SyncEntry } from './sync/sync.js';
/** Profiles (named DCQL queries) of registered credential types, learned from their issuers (`wallet present --profile NAME`). */
export { learnTypeProfiles, discoveryBaseOf, type LearnedProfiles, type LearnOptions } from './profiles/learn.js';
export { listTypeProfiles, type LearnedTypeProfiles } from './profiles/store.js';
export { learnedProfileNames, learnedProfileQuery, type LearnedProfileChoice } from './profiles/choose.js';
export { WalletError, PinLockedOutError } from './errors.js';
export { PIN_MIN_LENGTH, DEFAULT_KDF, assertPinAcceptable } from './crypto/pin-kdf.js';
/** OpenID4VCI wallet: a credential offer accepted (pre-authorized code or authorization code, DPoP), the loopback redirect. */
export {
  acceptOffer,
  listenForRedirect,
  Oid4vciClientError,
  resolveCredentialOffer,
  type AcceptOfferOptions,
  type AcceptOfferResult,
  type AuthorizationStep,
  type CredentialOffer,
  type LoopbackRedirect,
  type TxCodeSpec,
} from './oid4vci/index.js';
/** OpenID4VP wallet: a request resolved and checked, answered with the profile's claims. */
export {
  parseOpenid4vpUri,
  resolveRequest,
  respondToRequest,
  type ResolvedRequest,
  type RespondOptions,
  type RespondResult,
  type ResponseSummary,
} from './oid4vp/index.js';
/** The verifier roots the wallet trusts for x509_san_dns / x509_hash requests. */
export {
  addVerifierRoots,
  assertUsableRoot,
  describeRoot,
  readVerifierRoots,
  removeVerifierRoot,
  verifierRootsFile,
  type VerifierRootInfo,
} from './trust/verifier-roots.js';
/** A credential decoded as the wallet reads it. */
export { decodeCredential, type DecodedCredential } from './credential.js';
/** The wallet page server of `netcred wallet ui` (127.0.0.1 only, a session token per launch). */
export {
  startWalletUi,
  createWalletUiApp,
  DEFAULT_IDLE_LOCK_MS,
  DEFAULT_QR_TIMING,
  type WalletUiOptions,
  type RunningWalletUi,
  type QrTiming,
} from './ui-server/index.js';
/** Encrypted backup of a whole wallet and its restore (`netcred wallet backup`, `netcred wallet restore`). */
export { backupWallet, restoreWallet, WALLET_BACKUP_FORMAT, WALLET_BACKUP_VERSION, MAX_WALLET_BACKUP_BYTES } from './backup.js';
