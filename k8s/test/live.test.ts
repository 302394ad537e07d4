// A real Prometheus scrapes the real local deployment (supervisor + replicas) while this test sends a bounded
// loopback load and injects latency, errors and replica kills through the admin API. Then every dashboard
// query and every recording and alerting expression is executed against that Prometheus over its HTTP API:
// each must parse and return data, or be one of the few named exceptions that cannot have data here.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildDashboard, dashboardExpressions, VARIABLES } from '../src/observability/dashboard.ts';
import { RULE_GROUPS, isAlert, type AlertingRule } from '../src/observability/rules.ts';
import { KUBE_STATE_METRICS } from '../src/observability/metrics.ts';
import { CHAOS_TOKEN, queryRange, startPrometheus, startSupervisor, type Running, type Supervisor } from './local-stack.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Grafana's variables as the dashboard's "All" selection resolves them, and its rate interval for a 1 s scrape. */
export const substituteVariables = (expr: string): string =>
  expr
    .replaceAll('$__rate_interval', '1m')
    .replace(/\$(namespace|pod|route)\b/g, (_, v: keyof typeof VARIABLES) => VARIABLES[v]);

/**
 * Alerts whose condition cannot hold during a healthy local run. For each, the test checks the expression
 * parses and is empty, and that the series it compares exist (the expression without its final comparison).
 */
const QUIET_ALERTS: Record<string, string> = {
  PollTargetDown: 'the supervisor stays scrapeable for the whole run (up == 1)',
  PollStoreDown: 'the SQLite store stays reachable (store_up == 1)',
};

const operand = (expr: string): string => expr.replace(/\s*(==|>|<)\s*[\d.]+\s*$/, '');

const admin = (mgmt: string, method: string, path: string, body?: unknown) =>
  fetch(`${mgmt}${path}`, {
    method,
    headers: { authorization: `Bearer ${CHAOS_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

interface LoadStats {
  sent: number;
  byStatus: Map<number, number>;
  kills: number;
}

/** Open-model loopback load: `rps` requests per second for `seconds`, at most 64 in flight; never leaves 127.0.0.1. */
const runLoad = async (api: string, mgmt: string, seconds: number, rps: number): Promise<LoadStats> => {
  const stats: LoadStats = { sent: 0, byStatus: new Map(), kills: 0 };
  const options = ['TypeScript', 'Python', 'Rust', 'Go'];
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const fire = (i: number) => {
    if (inFlight >= 64) return;
    inFlight++;
    const kind = i % 10;
    const req =
      kind < 3
        ? fetch(`${api}/api/polls/default/vote`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `k8s-live-${i}` },
            body: JSON.stringify({ option: options[i % options.length] }),
          })
        : fetch(kind < 8 ? `${api}/api/polls/default` : `${api}/api/polls`);
    const p = req
      .then(async (res) => {
        await res.arrayBuffer();
        stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
      })
      .catch(() => {
        stats.byStatus.set(0, (stats.byStatus.get(0) ?? 0) + 1);
      })
      .finally(() => {
        inFlight--;
        pending.delete(p);
      });
    pending.add(p);
    stats.sent++;
  };

  const started = Date.now();
  const schedule: { at: number; run: () => Promise<void> }[] = [
    {
      at: 8,
      run: async () => {
        const res = await admin(mgmt, 'PUT', '/admin/chaos', { delayMs: 700, jitterMs: 100, errorRate: 0.3, errorCode: 503, ttlSeconds: 60 });
        assert.equal(res.status, 200, await res.text());
      },
    },
    ...[10, 16, 22].map((at) => ({
      at,
      run: async () => {
        const res = await admin(mgmt, 'POST', '/admin/replicas/replica-1/kill', { signal: 'SIGKILL' });
        if (res.ok) stats.kills++;
        await res.arrayBuffer();
      },
    })),
    {
      at: 28,
      run: async () => {
        const res = await admin(mgmt, 'DELETE', '/admin/chaos');
        assert.equal(res.status, 200, await res.text());
      },
    },
  ];
  for (let i = 0; Date.now() - started < seconds * 1000; i++) {
    const due = started + (i * 1000) / rps;
    if (due > Date.now()) await sleep(due - Date.now());
    fire(i);
    const elapsed = (Date.now() - started) / 1000;
    while (schedule.length > 0 && schedule[0]!.at <= elapsed) await schedule.shift()!.run();
  }
  await Promise.all(pending);
  return stats;
};

let supervisor: Supervisor | undefined;
let prometheus: Running | undefined;
const window = { start: 0, end: 0 };
let load: LoadStats;

before(async () => {
  supervisor = await startSupervisor(2);
  prometheus = await startPrometheus(new URL(supervisor.mgmtUrl).host);
  window.start = Math.floor(Date.now() / 1000) - 5;
  load = await runLoad(supervisor.apiUrl, supervisor.mgmtUrl, 36, 20);
  // Two more scrapes and rule evaluations after the last request.
  await sleep(3000);
  window.end = Math.ceil(Date.now() / 1000);
});

after(async () => {
  await prometheus?.stop();
  await supervisor?.stop();
});

const expectData = async (expr: string, where: string) => {
  const res = await queryRange(prometheus!.url, expr, window.start, window.end);
  assert.equal(res.status, 'success', `${where}: ${res.error ?? ''}\n  ${expr}`);
  assert.ok((res.data?.result.length ?? 0) > 0, `${where}: no data\n  ${expr}`);
  return res;
};

const expectEmpty = async (expr: string, where: string) => {
  const res = await queryRange(prometheus!.url, expr, window.start, window.end);
  assert.equal(res.status, 'success', `${where}: ${res.error ?? ''}\n  ${expr}`);
  assert.equal(res.data?.result.length, 0, `${where}: expected no data\n  ${expr}`);
};

describe('live: Prometheus scraping the local deployment under load and faults', () => {
  test('the load ran and the faults happened (503s injected, replica-1 killed 3 times)', (t) => {
    const summary = JSON.stringify(Object.fromEntries(load.byStatus));
    t.diagnostic(`sent ${load.sent} requests, by status ${summary}, ${load.kills} kills`);
    assert.ok(load.sent >= 600, `sent only ${load.sent}`);
    assert.ok((load.byStatus.get(503) ?? 0) > 10, `too few injected 503s: ${summary}`);
    assert.ok([...load.byStatus.entries()].some(([s, n]) => s >= 200 && s < 300 && n > 100), summary);
    assert.equal(load.kills, 3, 'replica kills through the admin API');
  });

  test('every dashboard query returns data', async (t) => {
    const exprs = dashboardExpressions(buildDashboard());
    t.diagnostic(`${exprs.length} dashboard expressions`);
    assert.ok(exprs.length >= 20, `only ${exprs.length} dashboard expressions`);
    for (const { where, expr } of exprs) await expectData(substituteVariables(expr), where);
  });

  test('the dashboard variables find pods and routes (namespace is a cluster-only label)', async () => {
    const values = async (label: string) => {
      const res = await fetch(`${prometheus!.url}/api/v1/label/${label}/values?match[]=http_requests_total`);
      return ((await res.json()) as { data: string[] }).data;
    };
    assert.deepEqual((await values('pod')).sort(), ['replica-1', 'replica-2']);
    assert.ok((await values('route')).includes('/api/polls/:id/vote'));
    // Locally no series has a namespace label; the variable's "All" value ".*" matches the missing label too.
    assert.deepEqual(await values('namespace'), []);
  });

  const records = RULE_GROUPS.flatMap((g) => g.rules).filter((r) => !isAlert(r)) as { record: string; expr: string }[];
  test(`every recording rule expression returns data, and Prometheus recorded all ${records.length}`, async () => {
    for (const r of records) {
      await expectData(r.expr, `record ${r.record} (expression)`);
      await expectData(r.record, `record ${r.record} (recorded series)`);
    }
  });

  const alerts = RULE_GROUPS.flatMap((g) => g.rules).filter(isAlert) as AlertingRule[];
  test('every alerting expression returns data, except those that cannot fire on a healthy local run', async (t) => {
    t.diagnostic(`${alerts.length} alerts, ${Object.keys(QUIET_ALERTS).length} quiet by design`);
    for (const a of alerts) {
      if (a.alert in QUIET_ALERTS) {
        await expectEmpty(a.expr, `alert ${a.alert} (${QUIET_ALERTS[a.alert]})`);
        await expectData(operand(a.expr), `alert ${a.alert} operand`);
      } else {
        await expectData(a.expr, `alert ${a.alert}`);
      }
    }
  });

  test('Prometheus fired the chaos alert and the restart loop alert on its own', async () => {
    await expectData('ALERTS{alertname="PollChaosFaultActive", alertstate="firing"}', 'chaos alert');
    await expectData('ALERTS{alertname="PollPodRestartLoop"}', 'restart loop alert (pending or firing)');
  });

  test('a misspelt metric or a broken expression would fail these checks (controls)', async () => {
    await expectEmpty('sum by (route) (rate(http_request_total{route=~".*"}[1m]))', 'misspelt metric');
    const broken = await queryRange(prometheus!.url, 'sum by (route) (rate(http_requests_total[1m])', window.start, window.end);
    assert.equal(broken.status, 'error');
  });

  test('the kube-state-metrics restart series parses; it has no data here because no cluster exports it', async () => {
    await expectEmpty(`${KUBE_STATE_METRICS.restarts}{namespace="poll-app", container="backend"}`, 'kube-state-metrics');
  });
});
