// `--summary-export=FILE`: k6's older flat JSON format (K:internal/js/summary-wrapper.js oldJSONSummary).
import type { SummaryData } from './summary-data.ts';

interface ExportGroup {
  name: string;
  groups: unknown;
  checks: unknown;
  [key: string]: unknown;
}

function transformGroup(group: ExportGroup): ExportGroup {
  if (Array.isArray(group.groups)) {
    const list = group.groups as ExportGroup[];
    const byName: Record<string, ExportGroup> = {};
    for (const g of list) byName[g.name] = transformGroup(g);
    group.groups = byName;
  }
  if (Array.isArray(group.checks)) {
    const list = group.checks as { name: string }[];
    const byName: Record<string, unknown> = {};
    for (const c of list) byName[c.name] = c;
    group.checks = byName;
  }
  return group;
}

/**
 * Options and state removed; each metric flattened to its values; a rate's `rate` renamed `value`;
 * thresholds as `{source: failed}` (true means FAILED); groups and checks keyed by name. 4-space JSON.
 */
export function summaryExport(data: SummaryData): string {
  const results = JSON.parse(JSON.stringify(data)) as Record<string, unknown> & {
    metrics: Record<string, { type: string; values: Record<string, unknown>; thresholds?: Record<string, { ok: boolean }> }>;
    root_group: ExportGroup;
  };
  delete results.options;
  delete results.state;
  const flat: Record<string, Record<string, unknown>> = {};
  for (const [name, metric] of Object.entries(results.metrics)) {
    const old = metric.values;
    if (metric.thresholds && Object.keys(metric.thresholds).length > 0) {
      const thresholds: Record<string, boolean> = {};
      for (const [source, t] of Object.entries(metric.thresholds)) thresholds[source] = !t.ok;
      old.thresholds = thresholds;
    }
    if (metric.type === 'rate' && Object.prototype.hasOwnProperty.call(old, 'rate')) {
      old.value = old.rate;
      delete old.rate;
    }
    flat[name] = old;
  }
  results.metrics = flat as never;
  results.root_group = transformGroup(results.root_group);
  return JSON.stringify(results, null, 4);
}
