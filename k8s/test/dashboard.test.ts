// The generated dashboard is well-formed Grafana dashboard JSON: the fields Grafana requires, unique panel ids,
// a layout that fits the 24-column grid without overlaps, Prometheus targets with unique refIds, only defined
// variables, and every panel the issue asks for. (Its types come from @grafana/schema; its queries run against
// a real Prometheus in live.test.ts.)
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Panel } from '@grafana/schema';
import { buildDashboard, dashboardExpressions, DASHBOARD_UID } from '../src/observability/dashboard.ts';

const dashboard = JSON.parse(JSON.stringify(buildDashboard())) as ReturnType<typeof buildDashboard>;
const panels = (dashboard.panels ?? []) as Panel[];
const content = panels.filter((p) => p.type !== 'row');

describe('Grafana dashboard', () => {
  test('has the top-level fields Grafana requires', () => {
    assert.equal(dashboard.uid, DASHBOARD_UID);
    assert.ok(dashboard.title);
    assert.ok(Number.isInteger(dashboard.schemaVersion) && dashboard.schemaVersion >= 36);
    assert.deepEqual(dashboard.time, { from: 'now-30m', to: 'now' });
    assert.ok(Array.isArray(dashboard.templating?.list) && Array.isArray(dashboard.annotations?.list));
  });

  test('panel ids are unique and the layout fits the grid without overlaps', () => {
    const ids = panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    const cells = new Set<string>();
    for (const p of panels) {
      const g = p.gridPos!;
      assert.ok(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0, `${p.title} gridPos ${JSON.stringify(g)}`);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          assert.ok(!cells.has(`${x},${y}`), `${p.title} overlaps another panel at ${x},${y}`);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  test('every panel queries the datasource variable with uniquely lettered Prometheus targets', () => {
    for (const p of content) {
      assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
      assert.ok(['timeseries', 'stat', 'bargauge'].includes(p.type), p.type);
      const targets = p.targets ?? [];
      assert.ok(targets.length > 0, p.title);
      assert.equal(new Set(targets.map((t) => t.refId)).size, targets.length, p.title);
      for (const t of targets) {
        assert.ok(String(t.expr ?? '').length > 0 && typeof t.legendFormat === 'string', `${p.title} ${String(t.refId)}`);
      }
    }
  });

  test('expressions use only defined variables and Grafana built-ins', () => {
    const defined = new Set((dashboard.templating?.list ?? []).map((v) => v.name));
    assert.deepEqual([...defined], ['datasource', 'namespace', 'pod', 'route']);
    for (const { where, expr } of dashboardExpressions(dashboard)) {
      for (const [, name] of expr.matchAll(/\$\{?(\w+)\}?/g)) {
        assert.ok(defined.has(name!) || name === '__rate_interval', `${where} uses undefined $${name}`);
      }
    }
  });

  test('shows everything the issue asks for, with fault annotations', () => {
    const titles = content.map((p) => (p.title ?? '').toLowerCase()).join(' | ');
    for (const wanted of ['request rate', 'error ratio', 'p50', 'p95', 'p99', 'in-flight', 'restarts', 'cpu', 'memory', 'votes by option', 'chaos: injected delay', 'chaos: error injection']) {
      assert.ok(titles.includes(wanted), `no panel for ${wanted}: ${titles}`);
    }
    const fault = (dashboard.annotations?.list ?? []).find((a) => a.name === 'Chaos faults');
    assert.ok(fault && fault.enable && 'expr' in fault);
  });
});
