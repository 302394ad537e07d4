// Merges the metrics of every replica into one exposition, each series labelled with the replica it came from.
// Nothing is summed away: per-replica series are what lets a dashboard tell one slow replica from a slow service.
// Pure functions over plain data (no prom-client registry), so the merge is tested without processes.
import type { MetricFamily, MetricSample } from './protocol.ts';

export const POD_LABEL = 'pod';
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricSource {
  /** Added as the `pod` label to every series of this source; undefined = the series stay as they are. */
  pod?: string;
  families: MetricFamily[];
}

/**
 * One family per metric name, in order of first appearance. A family whose type disagrees with the first source
 * that declared it is dropped for that source rather than producing an exposition Prometheus would reject.
 */
export function mergeFamilies(sources: MetricSource[]): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const { pod, families } of sources) {
    for (const family of families) {
      const values = family.values.map((v): MetricSample => (pod === undefined ? v : withPod(v, pod)));
      const existing = byName.get(family.name);
      if (existing === undefined) {
        byName.set(family.name, { name: family.name, help: family.help, type: family.type, values });
      } else if (existing.type === family.type) {
        existing.values.push(...values);
      }
    }
  }
  return [...byName.values()];
}

function withPod(sample: MetricSample, pod: string): MetricSample {
  // The supervisor knows which replica answered; any pod label the replica set for itself is overridden.
  const { [POD_LABEL]: _ignored, ...rest } = sample.labels;
  return { ...sample, labels: { ...rest, [POD_LABEL]: pod } };
}

/** Prometheus text exposition format 0.0.4. */
export function renderExposition(families: MetricFamily[]): string {
  const blocks = families.map((f) => {
    const lines = [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`];
    for (const v of f.values) lines.push(`${v.metricName ?? f.name}${renderLabels(v.labels)} ${renderValue(v.value)}`);
    return lines.join('\n');
  });
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}

function renderLabels(labels: Record<string, string | number>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(String(v))}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabelValue = (s: string) => escapeHelp(s).replace(/"/g, '\\"');

function renderValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** prom-client's getMetricsAsJSON() output reduced to plain, cloneable data. */
export function toFamilies(
  json: ReadonlyArray<{ name: string; help: string; type: unknown; values: ReadonlyArray<unknown> }>,
): MetricFamily[] {
  return json.map((m) => ({
    name: m.name,
    help: m.help,
    type: m.type as MetricFamily['type'],
    values: m.values.map((raw) => {
      const v = raw as { metricName?: string; labels?: Record<string, string | number>; value: number };
      return v.metricName === undefined
        ? { labels: { ...v.labels }, value: v.value }
        : { metricName: v.metricName, labels: { ...v.labels }, value: v.value };
    }),
  }));
}
