// k6 v1's default end-of-test text summary in `compact` mode (K:internal/js/summary.js, the version with
// a global name width and `trendKeys`): `█ THRESHOLDS`, then `█ TOTAL RESULTS` with checks and the
// CUSTOM / HTTP / EXECUTION / NETWORK metric sections. Trailing padding is kept as k6 prints it.
import { humanizeValue } from './humanize.ts';
import {
  emptySections,
  REPORT_SECTIONS,
  sectionOf,
  type ReportCheck,
  type ReportChecks,
  type ReportMetric,
  type ReportSection,
  type SummaryData,
  type SummaryGroup,
  type TextReport,
} from './summary-data.ts';

export interface TextSummaryOptions {
  /** ANSI colours; default: !options.noColor && state.isStdOutTTY. */
  enableColors?: boolean;
  /** `s`, `ms` or `us` fixes the time unit; default data.options.summaryTimeUnit. */
  summaryTimeUnit?: string | null;
  /** Default data.options.summaryTrendStats. */
  summaryTrendStats?: readonly string[];
  /**
   * The report from MetricsCore.textReport(): checks counted by name in first-seen order and every
   * threshold's percentile value. Without it both are derived from `data` (checks in tree order,
   * percentiles only if they are among summaryTrendStats).
   */
  report?: TextReport;
}

const TITLE_PREFIX = '█';
const SUBTITLE_PREFIX = '↳';
const SUCCESS_MARK = '✓';
const FAIL_MARK = '✗';

const COLORS: Readonly<Record<string, string>> = {
  black: '30',
  red: '31',
  green: '32',
  yellow: '33',
  blue: '34',
  magenta: '35',
  cyan: '36',
  white: '37',
};
const STYLES: Readonly<Record<string, string>> = { bold: '1', faint: '2', underline: '4', reversed: '7' };

interface Ctx {
  base: number;
  colors: boolean;
  trendStats: readonly string[];
  timeUnit: string | null;
}

const indentLevel = (base: number, level = 1): string => ' '.repeat((base + level) * 2);
const indent = (base: number, text: string, level = 1): string => indentLevel(base, level) + text;

/** k6's decorate(): without colours the value passes through untouched (so `undefined` joins as ""). */
function decorate(ctx: Ctx, text: string | undefined, color: string, ...styles: string[]): string | undefined {
  if (!ctx.colors) return text;
  const colorCode = COLORS[color] ?? (COLORS.white as string);
  const styleCodes = styles.map((s) => STYLES[s]).filter((s): s is string => Boolean(s));
  const codes = styleCodes.length ? [...styleCodes, colorCode].join(';') : colorCode;
  return `\x1b[${codes}m${String(text)}\x1b[0m`;
}

const str = (v: string | undefined): string => v ?? '';

function boldify(ctx: Ctx, text: string): string {
  return ctx.colors ? `\u001b[1m${text}\x1b[0m` : text;
}

/** Display width: code points after NFKC, ANSI escape sequences excluded. */
export function strWidth(s: string): number {
  const data = s.normalize('NFKC');
  let inEsc = false;
  let inLongEsc = false;
  let width = 0;
  for (const ch of data) {
    const code = ch.charCodeAt(0);
    if (ch === '\x1b') {
      inEsc = true;
      continue;
    }
    if (inEsc && ch === '[') {
      inLongEsc = true;
      continue;
    }
    if (inEsc && inLongEsc && code >= 0x40 && code <= 0x7e) {
      inEsc = false;
      inLongEsc = false;
      continue;
    }
    if (inEsc && !inLongEsc && code >= 0x40 && code <= 0x5f) {
      inEsc = false;
      continue;
    }
    if (!inEsc && !inLongEsc) width++;
  }
  return width;
}

function displayName(name: string): string {
  const pos = name.indexOf('{');
  return pos >= 0 ? `  { ${name.substring(pos + 1, name.length - 1)} }` : name;
}

function parentOf(name: string): string {
  return name.split('{', 1)[0] as string;
}

function sortByName(names: string[]): string[] {
  return names.sort((l, r) => {
    const lp = parentOf(l);
    const rp = parentOf(r);
    const c = lp.localeCompare(rp);
    if (c !== 0) return c;
    return l.substring(lp.length).localeCompare(r.substring(rp.length));
  });
}

function renderTitle(ctx: Ctx, title: string, prefix = TITLE_PREFIX): string {
  return indent(ctx.base, `${prefix} ${boldify(ctx, title)} \n`);
}

interface SummaryInfo {
  maxNameWidth: number;
  nonTrendValues: Record<string, string>;
  nonTrendExtras: Record<string, string[]>;
  trendCols: Record<string, string[]>;
  trendKeys: Record<string, Record<string, string>>;
  trendColMaxLens: number[];
  maxNonTrendValueLen: number;
  nonTrendExtraMaxLens: number[];
}

function renderTrendValue(ctx: Ctx, value: number | undefined, stat: string, metric: ReportMetric): string {
  if (stat === 'count') return String(value);
  return humanizeValue(value as number, metric, ctx.timeUnit);
}

function nonTrendValuesFor(ctx: Ctx, metric: ReportMetric): string[] {
  const v = metric.values;
  const h = (x: number | undefined): string => humanizeValue(x as number, metric, ctx.timeUnit);
  switch (metric.type) {
    case 'counter':
      return [h(v.count), `${h(v.rate)}/s`];
    case 'gauge':
      return [h(v.value), `min=${h(v.min)}`, `max=${h(v.max)}`];
    case 'rate':
      return [h(v.rate), `${v.passes} out of ${(v.passes as number) + (v.fails as number)}`];
    default:
      return ['[no data]'];
  }
}

function computeSummaryInfo(ctx: Ctx, metrics: Record<string, ReportMetric>): SummaryInfo {
  const info: SummaryInfo = {
    maxNameWidth: 0,
    nonTrendValues: {},
    nonTrendExtras: {},
    trendCols: {},
    trendKeys: {},
    trendColMaxLens: new Array<number>(ctx.trendStats.length).fill(0),
    maxNonTrendValueLen: 0,
    nonTrendExtraMaxLens: [],
  };
  for (const name of sortByName(Object.keys(metrics))) {
    const metric = metrics[name] as ReportMetric;
    // k6 measures `name + displayName(name)`: sub-metrics widen the dots for everyone.
    info.maxNameWidth = Math.max(info.maxNameWidth, strWidth(indent(ctx.base, name + displayName(name))));
    if (metric.type === 'trend') {
      const keys: Record<string, string> = {};
      for (const key of Object.keys(metric.values)) {
        if (!ctx.trendStats.includes(key)) keys[key] = renderTrendValue(ctx, metric.values[key], key, metric);
      }
      const cols = ctx.trendStats.map((stat) => renderTrendValue(ctx, metric.values[stat], stat, metric));
      cols.forEach((col, i) => {
        info.trendColMaxLens[i] = Math.max(info.trendColMaxLens[i] as number, strWidth(col));
      });
      info.trendCols[name] = cols;
      info.trendKeys[name] = keys;
    } else {
      const values = nonTrendValuesFor(ctx, metric);
      const main = values[0] as string;
      info.nonTrendValues[name] = main;
      info.maxNonTrendValueLen = Math.max(info.maxNonTrendValueLen, strWidth(main));
      const extras = values.slice(1);
      info.nonTrendExtras[name] = extras;
      extras.forEach((value, i) => {
        const w = strWidth(value);
        const cur = info.nonTrendExtraMaxLens[i];
        if (cur === undefined || w > cur) info.nonTrendExtraMaxLens[i] = w;
      });
    }
  }
  return info;
}

function renderTrendData(ctx: Ctx, name: string, info: SummaryInfo): string {
  const cols = info.trendCols[name] ?? [];
  return cols
    .map((col, i) => {
      const padding = ' '.repeat((info.trendColMaxLens[i] as number) - strWidth(col));
      return `${ctx.trendStats[i]}=${str(decorate(ctx, col, 'cyan'))}${padding}`;
    })
    .join(' ');
}

function renderNonTrendData(ctx: Ctx, name: string, info: SummaryInfo): string {
  const value = info.nonTrendValues[name] as string;
  const extras = info.nonTrendExtras[name] ?? [];
  let result = str(decorate(ctx, value, 'cyan'));
  result += ' '.repeat(info.maxNonTrendValueLen - strWidth(value));
  if (extras.length === 1) {
    result += ` ${str(decorate(ctx, extras[0], 'cyan', 'faint'))}`;
  } else if (extras.length > 1) {
    const parts = extras.map(
      (val, i) =>
        str(decorate(ctx, val, 'cyan', 'faint')) + ' '.repeat((info.nonTrendExtraMaxLens[i] as number) - strWidth(val)),
    );
    result += ` ${parts.join(' ')}`;
  }
  return result;
}

function renderMetricLine(ctx: Ctx, name: string, metric: ReportMetric, info: SummaryInfo): string {
  const shown = displayName(name);
  const dots = info.maxNameWidth - strWidth(shown) - strWidth(indentLevel(ctx.base)) + 3;
  const dotted = shown + str(decorate(ctx, `${'.'.repeat(Math.max(0, dots))}:`, 'white', 'faint'));
  const data = metric.type === 'trend' ? renderTrendData(ctx, name, info) : renderNonTrendData(ctx, name, info);
  return indent(ctx.base, `${dotted} ${data}`);
}

function renderMetrics(
  ctx: Ctx,
  metrics: Record<string, ReportMetric>,
  info: SummaryInfo,
  sorted: boolean,
): string[] {
  let names = Object.keys(metrics);
  if (sorted) names = sortByName(names);
  return names.map((name) => renderMetricLine(ctx, name, metrics[name] as ReportMetric, info));
}

type ThresholdMetric = ReportMetric & { thresholds: { source: string; ok: boolean }[] };

function renderThresholdValue(ctx: Ctx, metric: ThresholdMetric, source: string, info: SummaryInfo): string {
  const agg = (source.split(/[=><]/)[0] as string).trim();
  let value: string | undefined;
  switch (metric.type) {
    case 'trend': {
      const i = ctx.trendStats.indexOf(agg);
      value = i !== -1 ? info.trendCols[metric.name]?.[i] : info.trendKeys[metric.name]?.[agg];
      break;
    }
    case 'counter':
      value = agg === 'count' ? info.nonTrendValues[metric.name] : info.nonTrendExtras[metric.name]?.[0];
      break;
    default:
      value = info.nonTrendValues[metric.name];
  }
  return [decorate(ctx, agg, 'white'), decorate(ctx, value, 'cyan')].map(str).join('=');
}

function renderThresholds(ctx: Ctx, report: TextReport['thresholds']): string[] {
  const metrics: Record<string, ThresholdMetric> = {};
  for (const t of Object.values(report)) metrics[t.metric.name] = { ...t.metric, thresholds: t.thresholds };
  const names = sortByName(Object.keys(metrics));
  const info = computeSummaryInfo(ctx, metrics);
  const out: string[] = [];
  for (const name of names) {
    const parent = parentOf(name);
    const isSub = name.length > parent.length;
    const parentExists = Boolean(metrics[parent]);
    const inner: Ctx = isSub && parentExists ? { ...ctx, base: ctx.base + 1 } : ctx;
    out.push(indent(inner.base, !isSub || !parentExists ? name : name.substring(parent.length)));
    const metric = metrics[name] as ThresholdMetric;
    for (const t of metric.thresholds) {
      const status = t.ok ? decorate(ctx, SUCCESS_MARK, 'green') : decorate(ctx, FAIL_MARK, 'red');
      const src = decorate(ctx, `'${t.source.trim()}'`, 'white');
      out.push(indent(inner.base, [str(status), str(src), renderThresholdValue(ctx, metric, t.source, info)].join(' ')));
    }
    out.push('\n');
  }
  return out;
}

function renderCheck(ctx: Ctx, check: ReportCheck): string {
  if (check.fails === 0) return indent(ctx.base, str(decorate(ctx, `${SUCCESS_MARK} ${check.name}`, 'green')));
  const pct = Math.floor((100 * check.passes) / (check.passes + check.fails));
  const name = str(decorate(ctx, `${FAIL_MARK} ${check.name}`, 'red'));
  const results = str(
    decorate(ctx, `${SUBTITLE_PREFIX}  ${pct}% — ${SUCCESS_MARK} ${check.passes} / ${FAIL_MARK} ${check.fails}`, 'red'),
  );
  return `${indent(ctx.base, name)}\n${indent(ctx.base, results, ctx.base + 1)}`;
}

function renderChecks(ctx0: Ctx, checks: ReportChecks | null): string[] {
  if (!checks) return [];
  const ctx = { ...ctx0, base: ctx0.base + 1 };
  const rendered = checks.ordered_checks.map((c) => renderCheck(ctx, c));
  const metrics = checks.metrics as unknown as Record<string, ReportMetric>;
  const info = computeSummaryInfo(ctx, metrics);
  return [...renderMetrics(ctx, metrics, info, false), '\n', ...rendered, '\n'];
}

function renderSections(ctx0: Ctx, sections: Record<ReportSection, Record<string, ReportMetric>>): string[] {
  const ctx = { ...ctx0, base: ctx0.base + 1 };
  const all: Record<string, ReportMetric> = {};
  for (const s of REPORT_SECTIONS) Object.assign(all, sections[s]);
  const info = computeSummaryInfo(ctx, all);
  const order: ReportSection[] = ['custom', ...REPORT_SECTIONS.filter((s) => s !== 'custom')];
  return order
    .filter((s) => Object.keys(sections[s]).length > 0)
    .flatMap((s) => [indent(ctx.base, boldify(ctx, s.toUpperCase())), ...renderMetrics(ctx, sections[s], info, true), '\n']);
}

/** Rebuilds a report from the handleSummary data alone (used when no MetricsCore report is given). */
export function reportFromData(data: SummaryData): TextReport {
  const thresholds: TextReport['thresholds'] = {};
  const metrics = emptySections();
  let checks: ReportChecks | null = null;
  for (const [name, m] of Object.entries(data.metrics)) {
    const metric: ReportMetric = { name, type: m.type, contains: m.contains, values: { ...m.values } };
    if (m.thresholds) {
      thresholds[name] = {
        metric,
        thresholds: Object.entries(m.thresholds).map(([source, t]) => ({ source, ok: t.ok })),
      };
    }
    if (name === 'checks') {
      const passes = m.values.passes ?? 0;
      const fails = m.values.fails ?? 0;
      const total = passes + fails;
      const seconds = data.state.testRunDurationMs / 1000;
      const byName = new Map<string, ReportCheck>();
      const walk = (g: SummaryGroup): void => {
        for (const c of g.checks) {
          const acc = byName.get(c.name) ?? { name: c.name, passes: 0, fails: 0 };
          acc.passes += c.passes;
          acc.fails += c.fails;
          byName.set(c.name, acc);
        }
        g.groups.forEach(walk);
      };
      walk(data.root_group);
      checks = {
        metrics: {
          checks_total: {
            name: 'checks_total',
            type: 'counter',
            contains: 'default',
            values: { count: total, rate: seconds === 0 ? 0 : total / seconds },
          },
          checks_succeeded: { name: 'checks_succeeded', type: 'rate', contains: 'default', values: { ...m.values } },
          checks_failed: {
            name: 'checks_failed',
            type: 'rate',
            contains: 'default',
            values: { passes: fails, fails: passes, rate: fails / total },
          },
        },
        ordered_checks: [...byName.values()],
      };
    }
    const section = sectionOf(name);
    if (section) metrics[section][name] = metric;
  }
  return { thresholds, checks, metrics };
}

/** The text k6 v1 prints at the end of a run (without the leading "\n" and trailing "\n\n" it adds). */
export function textSummary(data: SummaryData, opts: TextSummaryOptions = {}): string {
  const timeUnit = opts.summaryTimeUnit === undefined ? data.options.summaryTimeUnit : opts.summaryTimeUnit;
  const ctx: Ctx = {
    base: 0,
    colors: opts.enableColors ?? (!data.options.noColor && data.state.isStdOutTTY),
    trendStats: opts.summaryTrendStats ?? data.options.summaryTrendStats,
    timeUnit: timeUnit === '' ? null : timeUnit,
  };
  const report = opts.report ?? reportFromData(data);
  const sections: { title: string; content: string[] }[] = [];
  if (Object.keys(report.thresholds).length > 0) {
    sections.push({ title: 'THRESHOLDS', content: renderThresholds({ ...ctx, base: 1 }, report.thresholds) });
  }
  sections.push({
    title: 'TOTAL RESULTS',
    content: [...renderChecks(ctx, report.checks), ...renderSections(ctx, report.metrics)],
  });
  return sections
    .flatMap((s) => [renderTitle(ctx, s.title), ...s.content, '\n'])
    .reduce((acc, cur) => (cur === '\n' ? acc + cur : `${acc}\n${cur}`), '');
}
