// Everything one report shows, computed once; the HTML and Markdown renderers only format it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Ledger, RunSeries } from './model.ts';
import { DEFAULT_ANALYSIS, analyse, type Analysis, type AnalysisOptions } from './analysis/timeline.ts';
import { readRun } from './ingest/read-run.ts';
import { readSummary, type Summary } from './summary/summary.ts';
import { summaryLedger, verdicts, type Verdict } from './summary/verdicts.ts';
import { fetchServerSeries, type ServerSeries } from './prometheus/server-series.ts';
import { median } from './stats/quantile.ts';

export interface Param {
  label: string;
  value: string;
  /** Where the value came from: the scenario's own record, or observed/inferred by the report. */
  source: 'scenario' | 'observed' | 'report';
}

export interface ReportModel {
  scenario: string;
  ndjsonPath: string;
  summaryPath: string | undefined;
  params: Param[];
  series: RunSeries;
  analysis: Analysis;
  options: AnalysisOptions;
  verdicts: Verdict[];
  ledger: { values: Ledger; source: 'ndjson' | 'summary'; balanced: boolean } | undefined;
  server: ServerSeries | undefined;
  serverError: string | undefined;
}

export interface BuildInputs {
  scenario: string;
  ndjsonPath: string;
  summaryPath?: string | undefined;
  prometheusUrl?: string | undefined;
  prometheusWindowS?: number;
  options?: AnalysisOptions;
}

function gitCommitNow(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function buildParams(scenario: string, series: RunSeries, summary: Summary | undefined): Param[] {
  const run = summary?.run ?? {};
  const p: Param[] = [];
  p.push({ label: 'scenario', value: run.scenario ?? scenario, source: run.scenario ? 'scenario' : 'report' });
  const fullRates = series.seconds.filter((s) => !s.partial && s.reqs > 0).map((s) => s.reqs);
  if (run.rate !== undefined) p.push({ label: 'target rate', value: `${run.rate} req/s`, source: 'scenario' });
  p.push({ label: 'delivered rate (median)', value: `${median(fullRates) ?? 0} req/s`, source: 'observed' });
  const faults = series.faults.map((f) => `${f.kind}${f.detail ? ` (${f.detail})` : ''}`).join('; ');
  p.push(
    run.fault !== undefined
      ? { label: 'fault', value: run.fault, source: 'scenario' }
      : { label: 'fault', value: faults || 'none', source: 'observed' },
  );
  if (run.phases) {
    p.push({ label: 'planned phases', value: Object.entries(run.phases).map(([k, v]) => `${k} ${v} s`).join(', '), source: 'scenario' });
  }
  p.push({
    label: 'observed phases',
    value: series.phases.filter((x) => x.phase !== 'untagged').map((x) => `${x.phase} ${x.seconds} s`).join(', ') || 'no phase tags',
    source: 'observed',
  });
  p.push({ label: 'duration', value: `${series.durationS} s`, source: 'observed' });
  p.push(run.engine ? { label: 'engine', value: run.engine, source: 'scenario' } : { label: 'engine', value: 'not recorded', source: 'report' });
  if (run.target) p.push({ label: 'target', value: run.target, source: 'scenario' });
  if (run.gitCommit) p.push({ label: 'git commit', value: run.gitCommit, source: 'scenario' });
  else {
    const now = gitCommitNow();
    p.push({ label: 'git commit', value: now ? `${now} (at report time)` : 'unknown', source: 'report' });
  }
  p.push({ label: 'date', value: run.startedAt ?? new Date(series.t0Ms).toISOString(), source: run.startedAt ? 'scenario' : 'observed' });
  return p;
}

export async function buildModel(inp: BuildInputs): Promise<ReportModel> {
  const series = await readRun(inp.ndjsonPath);
  const summaryPath = inp.summaryPath && existsSync(inp.summaryPath) ? inp.summaryPath : undefined;
  const summary = summaryPath ? await readSummary(summaryPath) : undefined;
  const options = inp.options ?? DEFAULT_ANALYSIS;
  const analysis = analyse(series.seconds, series.faults, options);
  const fromSummary = summary ? summaryLedger(summary) : undefined;
  const ledgerValues = series.ledger ?? fromSummary;
  const ledger = ledgerValues
    ? {
        values: ledgerValues,
        source: series.ledger ? ('ndjson' as const) : ('summary' as const),
        // Stored must cover every acknowledged vote and never exceed the distinct keys sent (when sent is kept).
        balanced: ledgerValues.storedReported && ledgerValues.stored >= ledgerValues.acked && (ledgerValues.sent === 0 || ledgerValues.stored <= ledgerValues.sent),
      }
    : undefined;
  let server: ServerSeries | undefined;
  let serverError: string | undefined;
  if (inp.prometheusUrl) {
    try {
      server = await fetchServerSeries(inp.prometheusUrl, series, inp.prometheusWindowS);
    } catch (e) {
      serverError = (e as Error).message;
    }
  }
  return {
    scenario: inp.scenario,
    ndjsonPath: inp.ndjsonPath,
    summaryPath,
    params: buildParams(inp.scenario, series, summary),
    series,
    analysis,
    options,
    verdicts: summary ? verdicts(summary) : [],
    ledger,
    server,
    serverError,
  };
}
