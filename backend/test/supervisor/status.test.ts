import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, formatReplicaTable } from '../../src/supervisor/status.ts';

describe('replica status table', () => {
  it('aligns columns and shows a restarting slot without a process', () => {
    const table = formatReplicaTable([
      { id: 'replica-1', pid: 4242, startedAt: 1, ageSeconds: 75, restarts: 0, ready: true, state: 'running' },
      { id: 'replica-10', pid: 0, startedAt: 0, ageSeconds: 0, restarts: 3, ready: false, state: 'restarting' },
    ]);
    assert.equal(
      table,
      [
        'REPLICA     PID   STATE       READY  RESTARTS  AGE',
        'replica-1   4242  running     yes    0         1m15s',
        'replica-10  -     restarting  no     3         -',
      ].join('\n'),
    );
  });

  it('formats ages like kubectl', () => {
    assert.equal(formatAge(0), '0s');
    assert.equal(formatAge(3_600 + 120 + 5), '1h2m');
  });
});
