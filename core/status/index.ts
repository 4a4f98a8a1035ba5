export * from './status-list.js';
export * from './status-list-token.js';
export * from './bitstring.js';
export * from './reference.js';
export * from './binding.js';
export * from './list-credential.js';
