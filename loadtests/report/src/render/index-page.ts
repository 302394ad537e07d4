// results/index.html: every experiment as a row of small multiples on the SAME axes (x: seconds since
// start, one y scale per column across all rows), so baseline, pod kill, latency, errors and stress can
// be told apart by eye.
import type { ReportModel } from '../build-model.ts';
import { esc } from './escape.ts';
import { headline } from './findings.ts';
import { CSS } from './html-page.ts';
import { COLORS } from './palette.ts';
import { faultWindows } from './run-charts.ts';
import { chart, yExtent, type Series } from './svg-chart.ts';

interface Column {
  id: string;
  title: string;
  scale: 'linear' | 'log';
  yFormat?: (v: number) => string;
  series: (m: ReportModel) => Series[];
}

const COLUMNS: Column[] = [
  { id: 'rate', title: 'request rate (req/s)', scale: 'linear', series: (m) => [{ label: 'req/s', color: COLORS.blue, values: m.series.seconds.map((s) => (s.partial ? undefined : s.reqs)) }] },
  {
    id: 'errors',
    title: 'error ratio (%)',
    scale: 'linear',
    yFormat: (v) => `${Number((v * 100).toPrecision(3))}%`,
    series: (m) => [{ label: 'error ratio', color: COLORS.vermillion, values: m.series.seconds.map((s) => s.errorRatio) }],
  },
  {
    id: 'latency',
    title: 'latency p50 / p95 (ms, log)',
    scale: 'log',
    series: (m) => [
      { label: 'p50', color: COLORS.green, values: m.series.seconds.map((s) => s.p50) },
      { label: 'p95', color: COLORS.blue, values: m.series.seconds.map((s) => s.p95) },
    ],
  },
];

export function indexPage(models: readonly ReportModel[]): string {
  const xMax = Math.max(1, ...models.map((m) => m.series.durationS));
  const domains = COLUMNS.map((c) => {
    const [lo, hi] = yExtent(models.flatMap((m) => c.series(m)), [], c.scale);
    return [lo, c.id === 'errors' ? Math.max(hi, 0.05) : hi] as [number, number];
  });
  const head = `<tr><th scope="col">experiment</th>${COLUMNS.map((c) => `<th scope="col">${esc(c.title)}</th>`).join('')}</tr>`;
  const rows = models.map((m) => {
    const cells = COLUMNS.map((c, i) =>
      chart({
        id: `${m.scenario}-${c.id}`,
        title: `${m.scenario}: ${c.title}`,
        yLabel: c.title,
        scale: c.scale,
        ...(c.yFormat ? { yFormat: c.yFormat } : {}),
        series: c.series(m),
        windows: faultWindows(m.series),
        xMax,
        yDomain: domains[i] as [number, number],
        width: 280,
        height: 116,
        compact: true,
      }),
    );
    return `<tr><th scope="row"><a href="${esc(encodeURIComponent(m.scenario))}.html">${esc(m.scenario)}</a><div class="muted">${esc(headline(m))}</div></th>${cells
      .map((c) => `<td>${c}</td>`)
      .join('')}</tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chaos-lab: all experiments</title><style>${CSS}
body { max-width: 1280px; } .grid th[scope=row] { width: 220px; font-weight: 600; } .grid th .muted { font-weight: normal; margin-top: 4px; } .grid td { padding: 2px; }
.key span { display: inline-block; margin-right: 16px; } .sw { display: inline-block; width: 22px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 4px; }
</style></head>
<body>
<h1>chaos-lab · all experiments</h1>
<p class="lead">Every run on the same axes: x is seconds since the run started (0–${xMax} s); each column shares one y scale across all rows. Can you tell which is which just by looking?</p>
<p class="key muted"><span><i class="sw" style="border-color:${COLORS.blue}"></i>request rate / p95</span><span><i class="sw" style="border-color:${COLORS.green};border-top-style:dashed"></i>p50</span><span><i class="sw" style="border-color:${COLORS.vermillion}"></i>error ratio</span><span><i class="sw" style="border-color:#E69F00;border-top-width:10px;opacity:.35"></i>fault window</span></p>
<table class="grid"><thead>${head}</thead><tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}
