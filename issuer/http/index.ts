export { createIssuerApp, basePathOf, JSON_BODY_LIMIT } from './app.js';
export { requireAdmin } from './admin-auth.js';
export { serveIssuer, type RunningServer } from './serve.js';
export { errorHandler, notFound } from './errors.js';
export { didDocumentPath } from './did-document.js';
export { discoveryDocument, typeMetadataUri } from './discovery.js';
