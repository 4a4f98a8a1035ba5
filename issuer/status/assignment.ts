import { bitstringCredentialUri } from './list-uris.js';

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

/** One status record rendered into both formats (same index in every list). */
export function renderAssignment(uri: string, idx: number): StatusAssignment {
  const bitstringEntries = (['revocation', 'suspension'] as const).map((purpose): BitstringStatusEntry => {
    const statusListCredential = bitstringCredentialUri(uri, purpose);
    return {
      id: `${statusListCredential}#${idx}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(idx),
      statusListCredential,
    };
  });
  return { tokenStatus: { status_list: { idx, uri } }, bitstringEntries };
}
