/**
 * Public face of the status module. Issuance allocates entries inside its transaction
 * (allocateStatus(es), or reserveStatuses ahead of it then commitReservation, or the one-exec
 * SQL) and revokes superseded credentials; the CLI and the admin API call the lifecycle
 * operations; the HTTP app serves what the publisher signs.
 */
export { allocateStatus, allocateStatuses, commitReservation } from './allocate.js';
export { forgetAllocations, reservedIndexesTaken, reserveStatuses, type StatusReservation } from './reservations.js';
export { insertEntriesParams, insertEntriesSql, MAX_ALLOCATION_BATCH } from './entry-sql.js';
export { LIST_FILL_LIMIT, strictReservationClaimSql } from './list-rollover.js';
export { renderAssignment, type BitstringStatusEntry, type StatusAssignment } from './assignment.js';
export { aggregationUri, bitstringCredentialUri, listUri } from './list-uris.js';
export { DEFAULT_STATUS_LIST_SIZE, MIN_STATUS_LIST_SIZE, statusListSizeOf } from './list-size.js';
export {
  auditLog,
  credentialStatus,
  reinstateCredential,
  reportDeviceLost,
  revokeCredential,
  revokeSuperseded,
  STATUS_REASONS,
  suspendCredential,
  type AuditEntry,
  type CredentialStatusRecord,
  type DeviceLostResult,
  type DeviceLostSelector,
  type StatusChangeResult,
  type StatusReason,
} from './lifecycle.js';
export {
  DEFAULT_PUBLISH_OPTIONS,
  notifyStatusChanged,
  StatusPublisher,
  statusPublisher,
  type BitstringPurpose,
  type PublishOptions,
  type Published,
} from './publish.js';
export { publishStatusDir, STATUS_CONTENT_TYPES, STATUS_DIR_MANIFEST, type PublishedStatusFile, type StatusDirManifest } from './publish-dir.js';
export { runExclusive, writeTransaction } from '../store/write-lock.js';
export type { StatusName } from './store.js';
