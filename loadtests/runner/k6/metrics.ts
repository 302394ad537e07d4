// The `k6/metrics` module: custom Counter, Gauge, Rate and Trend (K:internal/js/modules/k6/metrics/metrics.go).
import type { MetricType } from '../metrics/types.ts';
import type { VuState } from '../vu/state.ts';

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;

export function createMetricsModule(vu: VuState) {
  const instances = new Map<string, object>();

  function declare(type: MetricType, self: object, name: unknown, isTime: unknown): object {
    if (!vu.inInit) throw new Error('metrics must be declared in the init context');
    if (typeof name !== 'string' || !NAME.test(name))
      throw new Error(`invalid metric name: '${String(name)}' (it must match ${NAME.source})`);
    const known = vu.metricDefs.get(name);
    if (known) {
      if (known.type !== type)
        throw new Error(`metric '${name}' already exists but with type ${known.type}, instead of ${type}`);
      const existing = instances.get(name);
      if (existing) return existing;
    } else {
      vu.metricDefs.set(name, { name, type, contains: isTime === true ? 'time' : 'default' });
    }
    instances.set(name, self);
    return self;
  }

  function add(name: string, value: unknown, tags: unknown): boolean {
    if (vu.inInit) throw new Error('metrics cannot be added to in the init context');
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    if (v === null || v === undefined || typeof v !== 'number' || Number.isNaN(v)) {
      const msg = `no numeric value was provided for metric '${name}' (got ${String(value)}); the sample is dropped`;
      if (vu.http.throw) throw new Error(msg);
      vu.host.log('warn', msg);
      return false;
    }
    const t = vu.baseTags();
    if (tags !== null && typeof tags === 'object') for (const [k, x] of Object.entries(tags)) t[k] = String(x);
    vu.emit(name, v, t);
    return true;
  }

  const make = (type: MetricType) =>
    class {
      readonly name!: string;
      constructor(name: string, isTime = false) {
        const self = declare(type, this, name, isTime);
        if (self === this) Object.defineProperty(this, 'name', { value: name, enumerable: true });
        return self as this;
      }
      add(value: unknown, tags?: Record<string, unknown>): boolean {
        return add(this.name, value, tags);
      }
    };

  return { Counter: make('counter'), Gauge: make('gauge'), Rate: make('rate'), Trend: make('trend') };
}
