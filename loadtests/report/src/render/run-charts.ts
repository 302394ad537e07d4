// The timeline charts of one run, shared by the HTML page and the Markdown figure.
import type { ReportModel } from '../build-model.ts';
import type { RunSeries } from '../model.ts';
import { COLORS } from './palette.ts';
import { chart, type ChartSpec, type HLine, type Window } from './svg-chart.ts';
import { clientWindowedErrorRatio } from '../prometheus/server-series.ts';
import { fmtMs, fmtPct } from './format.ts';

export interface RenderedChart {
  id: string;
  svg: string;
  width: number;
  height: number;
}

export function faultWindows(series: RunSeries): Window[] {
  return series.faults.map((f) => ({
    start: f.start,
    end: f.end ?? series.durationS,
    label: `fault: ${f.kind}${f.end === undefined ? ' (no end marker)' : ''}`,
  }));
}

export function phaseMarks(series: RunSeries): { x: number; label: string }[] {
  const marks: { x: number; label: string }[] = [];
  let prev: string | undefined;
  for (const s of series.seconds) {
    if (s.phase && s.phase !== prev) marks.push({ x: s.t, label: s.phase });
    prev = s.phase ?? prev;
  }
  return marks;
}

const phaseSuffix = (phases: string) => (phases ? ` · ${phases}` : '');

/** Threshold lines a chart can show: latency thresholds on p-aggregations, error-rate thresholds. */
export function thresholdLines(m: ReportModel, metric: 'http_req_duration' | 'http_req_failed'): HLine[] {
  // The same limit declared for several phases is one line with one label.
  const lines = new Map<string, HLine & { phases: string[] }>();
  for (const v of m.verdicts) {
    if (!(v.metricKey === metric || v.metricKey.startsWith(`${metric}{`)) || !Number.isFinite(v.limit)) continue;
    if (metric === 'http_req_duration' && !/^p\(|^med$|^avg$|^max$/.test(v.aggregation)) continue;
    const text = `${metric === 'http_req_failed' ? '' : `${v.aggregation} `}${v.op} ${metric === 'http_req_failed' ? fmtPct(v.limit) : fmtMs(v.limit)}`;
    const key = `${text}|${v.ok}`;
    const line = lines.get(key) ?? { y: v.limit, label: text, color: v.ok ? COLORS.black : COLORS.vermillion, phases: [] };
    if (v.phase) line.phases.push(v.phase);
    lines.set(key, line);
  }
  return [...lines.values()].map(({ phases, ...l }) => ({ ...l, label: `${l.label}${phaseSuffix(phases.join(', '))}` }));
}

const fmtRatioTick = (v: number) => `${Number((v * 100).toPrecision(3))}%`;
const fmtBytes = (v: number) => (v >= 1e9 ? `${Number((v / 1e9).toFixed(1))}G` : v >= 1e6 ? `${Number((v / 1e6).toFixed(0))}M` : v >= 1e3 ? `${Number((v / 1e3).toFixed(0))}k` : String(v));

export function runCharts(m: ReportModel): RenderedChart[] {
  const s = m.series;
  const windows = faultWindows(s);
  const marks = phaseMarks(s);
  const base = { windows, marks, xMax: s.durationS, width: 860, height: 230 };
  const specs: ChartSpec[] = [
    {
      ...base,
      id: 'rate',
      title: 'Request rate (completed requests per second)',
      yLabel: 'req/s',
      series: [
        // The first and last seconds are only partly inside the run; a count there is not a rate.
        { label: 'completed req/s', color: COLORS.blue, values: s.seconds.map((x) => (x.partial ? undefined : x.reqs)) },
        { label: 'dropped iterations/s', color: COLORS.vermillion, values: s.seconds.map((x) => x.dropped) },
      ],
    },
    {
      ...base,
      id: 'errors',
      title: 'Error ratio (http_req_failed per second)',
      yLabel: 'failed requests (%)',
      yFormat: fmtRatioTick,
      series: [{ label: 'error ratio', color: COLORS.vermillion, values: s.seconds.map((x) => x.errorRatio) }],
      hlines: thresholdLines(m, 'http_req_failed'),
    },
    {
      ...base,
      id: 'latency',
      title: 'Latency percentiles per second (http_req_duration)',
      yLabel: 'ms',
      scale: 'log',
      series: [
        { label: 'p50', color: COLORS.green, values: s.seconds.map((x) => x.p50) },
        { label: 'p95', color: COLORS.blue, values: s.seconds.map((x) => x.p95) },
        { label: 'p99', color: COLORS.purple, values: s.seconds.map((x) => x.p99) },
      ],
      hlines: thresholdLines(m, 'http_req_duration'),
    },
    {
      ...base,
      id: 'vus',
      title: 'Virtual users busy (vus gauge)',
      yLabel: 'VUs',
      height: 180,
      series: [{ label: 'VUs', color: COLORS.orange, values: s.seconds.map((x) => x.vus) }],
    },
  ];
  if (s.clients.length > 0) {
    const colors = [COLORS.vermillion, COLORS.green, COLORS.blue, COLORS.purple];
    specs.push({
      ...base,
      id: 'votes',
      title: 'Logical votes acknowledged, per client population (client_vote_success)',
      yLabel: 'votes acknowledged (%)',
      yFormat: fmtRatioTick,
      yDomain: [0, 1],
      series: s.clients.map((c, i) => ({ label: `${c} client`, color: colors[i % colors.length] as string, values: s.seconds.map((x) => x.voteSuccess[c]) })),
    });
  }
  if (m.server) {
    const v = m.server.values;
    const flagsOf = (signal: 'errorRatio' | 'p95Ms') =>
      m.server?.disagreements.filter((d) => d.signal === signal).map((d) => ({ t: d.t, label: `${d.t} s: client and server disagree` })) ?? [];
    specs.push(
      {
        ...base,
        id: 'server-errors',
        title: `Server vs client error ratio (${m.server.windowS} s window)`,
        flags: flagsOf('errorRatio'),
        yLabel: 'failed requests (%)',
        yFormat: fmtRatioTick,
        series: [
          { label: 'server 5xx ratio', color: COLORS.purple, values: v.errorRatio, xOffset: 1 },
          { label: `client error ratio (${m.server.windowS} s window)`, color: COLORS.vermillion, values: clientWindowedErrorRatio(s, m.server.windowS) },
        ],
      },
      {
        ...base,
        id: 'server-latency',
        title: `Server vs client p95 latency (${m.server.windowS} s window)`,
        flags: flagsOf('p95Ms'),
        yLabel: 'ms',
        scale: 'log',
        series: [
          { label: 'server p95', color: COLORS.purple, values: v.p95Ms, xOffset: 1 },
          { label: 'client p95', color: COLORS.blue, values: s.seconds.map((x) => x.p95) },
        ],
      },
      {
        ...base,
        id: 'server-resources',
        title: 'Server CPU (cores)',
        yLabel: 'cores',
        height: 180,
        series: [{ label: 'CPU cores', color: COLORS.green, values: v.cpuCores, xOffset: 1 }],
      },
      {
        ...base,
        id: 'server-memory',
        title: 'Server resident memory',
        yLabel: 'bytes',
        yFormat: fmtBytes,
        height: 180,
        series: [{ label: 'RSS (all replicas)', color: COLORS.sky, values: v.memoryBytes, xOffset: 1 }],
      },
      {
        ...base,
        id: 'server-replicas',
        title: 'Replicas ready and restarts',
        yLabel: 'count',
        height: 180,
        series: [
          { label: 'ready replicas', color: COLORS.green, values: v.ready, xOffset: 1 },
          { label: 'restarts (total)', color: COLORS.vermillion, values: v.restarts, xOffset: 1 },
        ],
      },
    );
  }
  return specs.map((spec) => ({ id: spec.id, svg: chart(spec), width: spec.width ?? 860, height: spec.height ?? 230 }));
}
