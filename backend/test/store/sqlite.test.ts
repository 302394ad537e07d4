import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { storeContract } from './storeContract.ts';

const dir = mkdtempSync(join(tmpdir(), 'chaoslab-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A nested path that does not exist yet: the store creates its directories.
storeContract('sqlite', async () => createSqliteStore({ path: join(dir, 'nested/dir/polls.db'), busyTimeoutMs: 5000 }));
