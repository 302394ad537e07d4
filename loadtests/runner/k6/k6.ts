// The `k6` module: check, group, sleep, fail (K:internal/js/modules/k6/k6.go).
import { GoError, InterruptError, type VuState } from '../vu/state.ts';

const isAsync = (fn: unknown): boolean =>
  typeof fn === 'function' && (fn as { constructor?: { name?: string } }).constructor?.name === 'AsyncFunction';

export function createK6Module(vu: VuState) {
  function check(val: unknown, sets: Record<string, unknown>, tags?: Record<string, unknown>): boolean {
    if (vu.inInit) throw new Error('check() is not supported in the init context');
    if (sets === null || typeof sets !== 'object') throw new Error('check() needs an object of conditions');
    const base = vu.baseTags();
    if (tags) for (const [k, v] of Object.entries(tags)) base[k] = String(v);
    const now = Date.now();
    let all = true;
    for (const [name, cond] of Object.entries(sets)) {
      if (name.includes('::')) throw new Error("check and group names may not contain '::'");
      if (isAsync(cond)) throw new Error('check() does not support async functions');
      const t = { ...base, check: name };
      let ok: boolean;
      try {
        ok = typeof cond === 'function' ? Boolean((cond as (v: unknown) => unknown)(val)) : Boolean(cond);
      } catch (err) {
        vu.emit('checks', 0, t, now);
        throw err;
      }
      vu.emit('checks', ok ? 1 : 0, t, now);
      if (!ok) all = false;
    }
    return all;
  }

  function group<T>(name: string, fn: () => T): T {
    if (vu.inInit) throw new Error('group() is not supported in the init context');
    if (String(name).includes('::')) throw new Error("check and group names may not contain '::'");
    if (isAsync(fn)) throw new Error('group() does not support async functions');
    const parent = vu.groupPath;
    vu.groupPath = `${parent}::${name}`;
    const start = performance.now();
    try {
      return fn();
    } finally {
      const tags = vu.baseTags();
      vu.emit('group_duration', performance.now() - start, tags);
      vu.groupPath = parent;
    }
  }

  function sleep(seconds: number): void {
    const ms = Number(seconds) * 1000;
    if (!(ms > 0)) return;
    if (vu.host.sleep(ms) && !vu.inInit) throw new InterruptError('iteration interrupted during sleep');
  }

  function fail(message?: string): never {
    throw new GoError(message ?? '');
  }

  function randomSeed(_seed: number): void {
    throw new Error('randomSeed() is not supported by chaoslab-k6run');
  }

  return { check, group, sleep, fail, randomSeed };
}
