import type { Config } from '../config/index.ts';
import { createPostgresStore } from './postgres.ts';
import { createSqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

export * from './types.ts';

export function createStore(config: Config, onError?: (err: Error) => void): Store {
  return config.store.kind === 'postgres'
    ? createPostgresStore({ url: config.store.url, timeoutMs: config.storeTimeoutMs, poolSize: config.dbPoolSize, onError })
    : createSqliteStore({ path: config.store.path, busyTimeoutMs: config.storeTimeoutMs });
}
