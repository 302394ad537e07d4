// A database written by schema v1 is migrated in place: votes kept, idempotency keys still honoured.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/sqliteSchema.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'chaoslab-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('migrates a v1 database without losing votes', async () => {
  const path = join(dir, 'v1.db');
  const v1 = new Database(path);
  v1.exec(MIGRATIONS[0] as string);
  v1.pragma('user_version = 1');
  v1.exec(`INSERT INTO polls VALUES ('p', 'q', '2026-01-01T00:00:00.000Z');
           INSERT INTO poll_options VALUES ('p', 0, 'a'), ('p', 1, 'b');
           INSERT INTO votes VALUES ('11111111-1111-1111-1111-111111111111', 'p', 'a', 'old-key', '2026-01-01T00:00:01.000Z'),
                                    ('22222222-2222-2222-2222-222222222222', 'p', 'b', NULL, '2026-01-01T00:00:02.000Z');`);
  v1.close();

  const store = createSqliteStore({ path, busyTimeoutMs: 5000 });
  try {
    await store.init();
    assert.equal((await store.getPoll('p'))?.total, 2);
    const replay = await store.vote({ poll: 'p', option: 'a', idempotencyKey: 'old-key' });
    assert.deepEqual(replay, {
      kind: 'replayed',
      vote: { id: '11111111-1111-1111-1111-111111111111', poll: 'p', option: 'a', idempotencyKey: 'old-key', createdAt: '2026-01-01T00:00:01.000Z' },
    });
    assert.equal((await store.vote({ poll: 'p', option: 'b', idempotencyKey: 'new-key' })).kind, 'created');
    assert.equal((await store.getPoll('p'))?.total, 3);
  } finally {
    await store.close();
  }
  const db = new Database(path, { readonly: true });
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  db.close();
});
