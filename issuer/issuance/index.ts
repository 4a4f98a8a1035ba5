export {
  issueCredential,
  issueCredentials,
  CREDENTIAL_FORMATS,
  type IssueRequest,
  type IssueManyRequest,
  type IssueOptions,
  type IssuedCredential,
  type BeforeCommit,
  type InlineCommit,
} from './issue.js';
export { findIssuanceRecords, type IssuanceRecord, type IssuanceRecordFilter, type CredentialFormat } from './records.js';
export { mintIdentitySdJwtVc, identityVcdm2Credential, identityDisclosureFrame, RESIDENT_IDENTITY_W3C_TYPE, type MintIdentityInput } from './mint.js';
export { subjectRef } from './subject-ref.js';
