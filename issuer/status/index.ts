import type { EntityManager } from 'typeorm';
import type { IssuerContext } from '../context.js';

/**
 * Public face of the status module, called by issuance. STUB until the status-list work lands:
 * allocateStatus returns undefined (no status) and revokeSuperseded does nothing.
 */
export type BitstringStatusEntry = {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation' | 'suspension';
  statusListIndex: string;
  statusListCredential: string;
};

export type StatusAssignment = {
  /** For dc+sd-jwt: the `status` claim. */
  tokenStatus: { status_list: { idx: number; uri: string } };
  /** For vc+sd-jwt: the `credentialStatus` entries (revocation and suspension). */
  bitstringEntries: BitstringStatusEntry[];
};

/** Reserves a status entry for a new credential inside the issuance transaction. */
export async function allocateStatus(ctx: IssuerContext, tx: EntityManager, credentialId: string): Promise<StatusAssignment | undefined> {
  void ctx;
  void tx;
  void credentialId;
  return undefined;
}

/** Revokes earlier credentials with reason `superseded`, in the issuance transaction. */
export async function revokeSuperseded(ctx: IssuerContext, tx: EntityManager, credentialIds: string[], actor: string): Promise<void> {
  void ctx;
  void tx;
  void credentialIds;
  void actor;
}
