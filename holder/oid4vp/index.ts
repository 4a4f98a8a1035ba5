export { respondToRequest, type RespondOptions, type RespondResult, type ResponseSummary } from './respond.js';
export { resolveRequest, type ResolveRequestOptions } from './resolve-request.js';
export { parseOpenid4vpUri, type RequestReference } from './parse-uri.js';
export type { ResolvedRequest } from './validate-request.js';
export type { Oid4vpWalletCode } from './errors.js';
