/**
 * The services layer's public entry: everything the gateway and the CLI call. Services know no
 * HTTP; they take a `ServiceContext` and an `Actor` and throw `DesignDocError`s.
 */
export * from './actor.js';
export * from './service-context.js';
export * from './audit.js';
export * from './accounts.js';
export * from './policy.js';
export * from './documents.js';
export * from './lifecycle.js';
export * from './review-state.js';
export * from './reviews.js';
export * from './folder-sync.js';
export { analyzeText, type Analysis } from './document-analysis.js';
export { createServiceContext, type CreateServiceContextOptions } from './create-service-context.js';
