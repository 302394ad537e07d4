// Opens the generated pages in real headless Chromium and checks that the charts actually rendered.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { writeIndex, writeReport } from '../src/write-reports.ts';
import { parseConfig } from '../src/config.ts';
import { faultAt20RecoveringAt47, writeSynthetic } from './synthetic.ts';

/** The SVG element API (no DOM lib in this Node tsconfig). */
type Boxed = { getBBox(): { width: number } };

const dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
let ctx: BrowserContext | undefined;
const external: string[] = [];

before(async () => {
  await writeSynthetic(join(dir, 'errors.ndjson'), faultAt20RecoveringAt47({ errorP: 0.3, extraMs: 0 }));
  await writeSynthetic(join(dir, 'latency.ndjson.gz'), faultAt20RecoveringAt47({ errorP: 0, extraMs: 500 }), true);
  writeFileSync(
    join(dir, 'errors.json'),
    JSON.stringify({
      metrics: {
        'http_req_failed{phase:fault}': { type: 'rate', contains: 'default', values: { rate: 0.3, passes: 120, fails: 280 }, thresholds: { 'rate>0.15': { ok: true } } },
        'http_req_duration{phase:recovery}': { type: 'trend', contains: 'time', values: { avg: 20, med: 19, 'p(95)': 24 }, thresholds: { 'p(95)<300': { ok: true } } },
      },
    }),
  );
  const cfg = parseConfig(['--results-dir', dir], {});
  if (cfg === 'help') throw new Error('unexpected');
  const models = [];
  for (const f of ['errors.ndjson', 'latency.ndjson.gz']) models.push((await writeReport(join(dir, f), cfg)).model);
  await writeIndex(models, dir);
  // A fresh profile inside the test's temp dir, removed with it.
  ctx = await chromium.launchPersistentContext(mkdtempSync(join(dir, 'chromium-profile-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    viewport: { width: 1060, height: 1400 },
  });
  // The pages must be fully offline: record anything that is not the file itself.
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (!url.startsWith('file://')) {
      external.push(url);
      return route.abort();
    }
    return route.continue();
  });
});

after(async () => {
  await ctx?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a run page renders every chart with data, legend, thresholds and the fault window', async () => {
  const page = await (ctx as BrowserContext).newPage();
  await page.goto(pathToFileURL(join(dir, 'errors.html')).href);
  const charts = await page.$$eval('svg.chart', (els) => els.map((e) => e.getAttribute('data-chart')));
  assert.deepEqual(charts, ['rate', 'errors', 'latency', 'vus', 'votes']);
  // Every series path has geometry the browser actually laid out.
  const paths = await page.$$eval('svg.chart path.series', (els) =>
    els.map((e) => ({ d: e.getAttribute('d') ?? '', w: (e as unknown as Boxed).getBBox().width, name: e.getAttribute('data-series') })),
  );
  assert.ok(paths.length >= 6);
  for (const p of paths.filter((x) => x.name !== 'dropped iterations/s')) {
    assert.ok(p.d.length > 100 && p.w > 300, `${p.name} has a real line (${p.d.length} chars, ${p.w}px)`);
  }
  const windows = await page.$$eval('rect.fault-window', (els) => els.map((e) => (e as unknown as Boxed).getBBox().width));
  assert.equal(windows.length, 5, 'fault window shaded on each chart');
  assert.ok(windows.every((w) => w > 50));
  const legend = await page.$$eval('g.legend', (els) => els.map((e) => e.textContent).join(' '));
  for (const label of ['completed req/s', 'error ratio', 'p50', 'p95', 'p99', 'VUs', 'naive client', 'fault window']) assert.ok(legend.includes(label), `legend has ${label}`);
  const thresholds = await page.$$eval('line.threshold', (els) => els.length);
  assert.equal(thresholds, 2);
  const axis = await page.textContent('svg[data-chart=latency]');
  assert.match(axis ?? '', /ms \(log\)/);
  assert.match((await page.textContent('#headline')) ?? '', /errors fault seen after 0 s in error ratio; recovered 7 s after it ended/);
  const verdicts = await page.$$eval('table.verdicts tbody tr', (rows) => rows.length);
  assert.equal(verdicts, 2);
  const shot = join(dir, 'errors.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(statSync(shot).size > 20_000);
  await page.close();
});

test('the index puts every experiment on the same axes', async () => {
  const page = await (ctx as BrowserContext).newPage();
  await page.goto(pathToFileURL(join(dir, 'index.html')).href);
  const rows = await page.$$eval('table.grid tbody tr', (r) => r.map((x) => x.querySelector('th a')?.textContent));
  assert.deepEqual(rows, ['errors', 'latency']);
  const charts = await page.$$eval('svg.chart', (els) => els.length);
  assert.equal(charts, 6);
  // Same y ticks in each column across rows = same axes.
  const ticks = await page.$$eval('table.grid tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('svg.chart')].map((s) => [...s.querySelectorAll('text')].map((t) => t.textContent).join(','))),
  );
  const strip = (s: string) => s.replace(/^[^,]*,/, ''); // drop the per-row title
  assert.equal(strip(ticks[0]?.[0] ?? ''), strip(ticks[1]?.[0] ?? ''));
  assert.equal(strip(ticks[0]?.[2] ?? ''), strip(ticks[1]?.[2] ?? ''));
  const nonEmpty = await page.$$eval('svg.chart path.series', (els) => els.filter((e) => (e.getAttribute('d') ?? '').length > 50).length);
  assert.ok(nonEmpty >= 8);
  await page.screenshot({ path: join(dir, 'index.png'), fullPage: true });
  await page.close();
  assert.deepEqual(external, [], 'no request left the file system');
});
