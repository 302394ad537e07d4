import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBusy, parseBusy } from '../bench/busy-machine.ts';

test('BENCH_BUSY: NxP, or nothing when unset or empty', () => {
  assert.deepEqual(parseBusy('2x50'), { processes: 2, percent: 50 });
  assert.deepEqual(parseBusy('1x100'), { processes: 1, percent: 100 });
  assert.equal(parseBusy(undefined), undefined);
  assert.equal(parseBusy(''), undefined);
  assert.equal(describeBusy(parseBusy('2x70')), '2 other processes busy-looping 70 % of every 10 ms');
  assert.equal(describeBusy(undefined), 'nothing else running');
});

test('BENCH_BUSY: anything else is refused with what it expects', () => {
  for (const bad of ['2', 'x50', '2x0', '0x50', '2x101', '17x10', '2x50%', ' 2x50', '2.5x50']) {
    assert.throws(() => parseBusy(bad), /expected NxP, N processes \(1-16\) each busy-looping P % \(1-100\) of every 10 ms/, bad);
  }
});
