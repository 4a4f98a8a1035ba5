/**
 * Public face of the status module: issuance calls allocateStatus and revokeSuperseded inside
 * its transaction; the CLI and the admin API call the lifecycle operations.
 */
export {
  allocateStatus,
  aggregationUri,
  bitstringCredentialUri,
  DEFAULT_STATUS_LIST_SIZE,
  listUri,
  MIN_STATUS_LIST_SIZE,
  renderAssignment,
  statusListSizeOf,
  type BitstringStatusEntry,
  type StatusAssignment,
} from './allocate.js';
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
export { DEFAULT_PUBLISH_OPTIONS, notifyStatusChanged, StatusPublisher, statusPublisher, type BitstringPurpose, type PublishOptions, type Published } from './publish.js';
export { runExclusive, writeTransaction } from '../store/write-lock.js';
export type { StatusName } from './store.js';
