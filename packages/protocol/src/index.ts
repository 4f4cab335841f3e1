/**
 * @tillkit/protocol: the HTTP contract between the Tillkit React kit and its server. Schemas are
 * `zod/mini` (tree-shaken away when only the client is imported), the route table is plain data,
 * and error codes are declared once in `error-codes.ts`.
 * @packageDocumentation
 */
export * from './client.js';
export * from './error-codes.js';
export * from './route-table.js';
export * from './schemas.js';
