// What scenarios import. build.mjs swaps this module for `local.ts` or `cluster.ts` per bundle; for the
// type-checker it re-exports the local implementation (both export the same names and types).
export { createInjector, INJECTOR_KIND } from './local.ts';
export type { FaultInjector, HttpFault, ReplicaState } from './types.ts';
