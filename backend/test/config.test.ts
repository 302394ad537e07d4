import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/index.ts';
import { runServer } from './helpers/process.ts';

describe('config', () => {
  it('has sensible defaults', () => {
    const c = loadConfig({ POD_NAME: 'pod-1' });
    assert.equal(c.port, 3000);
    assert.equal(c.mgmtPort, 9464);
    assert.deepEqual(c.store, { kind: 'sqlite', path: 'run/polls.db' });
    assert.equal(c.chaosToken, undefined);
    assert.deepEqual(c.envFault, { delayMs: 0, errorRate: 0 });
    assert.equal(c.podName, 'pod-1');
    assert.equal(c.bodyLimitBytes, 4096);
  });

  it('treats empty variables as unset and picks PostgreSQL from DATABASE_URL', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: 'postgres://u:p@db:5432/polls' });
    assert.equal(c.port, 3000);
    assert.deepEqual(c.store, { kind: 'postgres', url: 'postgres://u:p@db:5432/polls' });
  });

  for (const [name, value] of [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['MGMT_PORT', '-1'],
    ['ERROR_RATE', '1.5'],
    ['ARTIFICIAL_DELAY_MS', '1.5'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['CHAOS_TOKEN', 'short'],
    ['SHUTDOWN_TIMEOUT_MS', 'soon'],
    ['BODY_LIMIT_BYTES', '1'],
  ] as const) {
    it(`rejects ${name}=${value} naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (err: unknown) => err instanceof ConfigError && err.variable === name && err.message.includes(name),
      );
    });
  }

  it('never echoes secrets in errors', () => {
    assert.throws(
      () => loadConfig({ CHAOS_TOKEN: 'sekrit' }),
      (err: unknown) => err instanceof Error && !err.message.includes('sekrit'),
    );
  });

  it('the process stops with a non-zero code and a message naming the variable, before listening', async () => {
    const p = runServer({ ERROR_RATE: 'lots', SQLITE_PATH: '/nonexistent/never-created.db' });
    p.started.catch(() => undefined);
    const { code } = await p.exited;
    assert.notEqual(code, 0);
    assert.ok(p.output.some((l) => l.includes('ERROR_RATE')), p.output.join('\n'));
    assert.ok(!p.output.some((l) => l.includes('apiPort')));
  });
});
