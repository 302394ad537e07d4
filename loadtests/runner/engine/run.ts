// One `run`: the k6 lifecycle from init to exit code (K:internal/cmd/run.go). The order matters and
// follows k6: init (options) -> validate (104) -> VU init (107) -> setup (100/107) -> scenarios with
// live thresholds (99) -> teardown (101/107) -> final thresholds -> summary -> exit code.
import { MetricsCore, ThresholdConfigError, MetricTypeConflictError, type Sample } from '../metrics/index.ts';
import { buildPlan, OptionsError, scenarioSpanMs, scenarioVUs, type OptionOverrides, type Plan } from '../config/options.ts';
import { compileScript, ScriptError, type CompiledScript } from '../script/compile.ts';
import { UnsupportedModuleError } from '../script/sandbox.ts';
import { TestAbortError } from '../vu/state.ts';
import type { ScriptError as VuScriptError, SummaryOutput } from '../vu/protocol.ts';
import { createExecutor, wait, type Executor } from './executors/index.ts';
import { createLogger, type Logger } from './log.ts';
import { runOptions } from './options-run.ts';
import { openSampleOutput, writeSummary, type SampleOutput } from './outputs.ts';
import { startIoThreads } from './io-client.ts';
import { Progress } from './progress.ts';
import { RunStats, VuPool } from './vu-pool.ts';
import { ScriptFailure, VuHandle, type CallOutcome, type VuSpawnConfig } from './vu-handle.ts';

export const EXIT = {
  ok: 0,
  thresholds: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  invalidConfig: 104,
  externalAbort: 105,
  scriptException: 107,
  scriptAborted: 108,
  markedAsFailed: 110,
} as const;

export interface RunConfig {
  scriptPath: string;
  /** System environment with -e on top (scenario env is applied per scenario). */
  env: Record<string, string>;
  overrides: OptionOverrides;
  /** --out json=… targets ('-' or '' = stdout, .gz = gzip). */
  outJson: string[];
  summaryExport?: string;
  noThresholds: boolean;
  quiet: boolean;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Where SIGINT/SIGTERM are heard (the CLI passes `process`). */
  signals?: NodeJS.EventEmitter;
}

const HANDLE_SUMMARY_TIMEOUT_MS = 120_000;

function scriptErrorFields(e: VuScriptError): [string, Record<string, string>] {
  return [e.stack, { source: 'stacktrace' }];
}

/** The most VUs in use at once: scenarios that do not overlap in time share VUs, as in k6. */
export function peakVUs(plan: Plan): number {
  const spans = plan.scenarios.map((s) => {
    const { regularMs, graceMs } = scenarioSpanMs(s);
    return { from: s.startTimeMs, to: s.startTimeMs + regularMs + graceMs, vus: scenarioVUs(s).initial };
  });
  let peak = 0;
  for (const a of spans) {
    const at = spans.filter((b) => b.from <= a.from && a.from < b.to).reduce((n, b) => n + b.vus, 0);
    peak = Math.max(peak, at);
  }
  return peak;
}

export async function run(cfg: RunConfig): Promise<number> {
  const logger: Logger = createLogger((line) => cfg.stderr.write(line));
  const started = Date.now();
  let firstError: number | undefined;
  const setError = (code: number) => {
    if (firstError === undefined) firstError = code;
  };

  // 1. Init once for options (exit 107 on exceptions and unsupported imports).
  let script: CompiledScript;
  let init: ReturnType<typeof runOptions>;
  try {
    script = compileScript(cfg.scriptPath);
    init = runOptions(script, cfg.env, logger);
  } catch (err) {
    if (err instanceof TestAbortError) {
      logger.log('error', err.message);
      return EXIT.scriptAborted;
    }
    const msg = err instanceof UnsupportedModuleError || err instanceof ScriptError ? err.message : ((err as Error).stack ?? String(err));
    logger.log('error', msg, { hint: 'script exception' });
    return EXIT.scriptException;
  }
  if (init.aborted) {
    logger.log('error', init.aborted);
    return EXIT.scriptAborted;
  }

  // 2. Validate options, scenarios and thresholds (exit 104) before anything runs.
  let plan: Plan;
  let core: MetricsCore;
  try {
    plan = buildPlan(init.exports['options'], cfg.overrides);
    for (const s of plan.scenarios)
      if (typeof init.exports[s.exec] !== 'function')
        throw new OptionsError(
          s.exec === 'default'
            ? `scenario ${s.name}: the script has no default exported function`
            : `scenario ${s.name}: exec function '${s.exec}' is not exported by the script`,
        );
    core = new MetricsCore({
      thresholds: plan.thresholds,
      ...(plan.summaryTrendStats ? { summaryTrendStats: plan.summaryTrendStats } : {}),
      noThresholds: cfg.noThresholds,
    });
    for (const def of init.metrics) core.define(def);
    for (const w of core.validateThresholds()) logger.log('warn', w);
  } catch (err) {
    if (err instanceof OptionsError || err instanceof ThresholdConfigError || err instanceof MetricTypeConflictError) {
      logger.log('error', err.message);
      return EXIT.invalidConfig;
    }
    throw err;
  }
  if (init.failed) setError(EXIT.markedAsFailed);

  let output: SampleOutput;
  try {
    output = await openSampleOutput(cfg.outJson, core, cfg.stdout);
  } catch (err) {
    logger.log('error', `cannot open the output: ${(err as Error).message}`);
    return EXIT.invalidConfig;
  }

  const stop = new AbortController();
  const ingest = (samples: Sample[]) => {
    if (samples.length === 0) return;
    core.add(samples);
    output.write(samples);
  };
  const stats = new RunStats();
  const spawnCfg: VuSpawnConfig = {
    script,
    env: cfg.env,
    runTags: plan.runTags,
    http: plan.http,
    exposedOptions: plan.exposed,
    stats: stats.buffer,
    testStartMs: started,
    events: {
      samples: ingest,
      log: (level, message, fields) => logger.log(level, message, fields),
      abort(kind, reason) {
        if (kind === 'fail') {
          setError(EXIT.markedAsFailed);
          return;
        }
        logger.log('error', reason);
        setError(EXIT.scriptAborted);
        stop.abort();
      },
      metrics(defs) {
        for (const def of defs) {
          try {
            core.define(def);
          } catch (err) {
            logger.log('warn', (err as Error).message);
          }
        }
      },
    },
  };
  const pool = new VuPool(spawnCfg, stats);
  const executors: Executor[] = [];

  // SIGINT/SIGTERM: stop now, still run teardown and the summary (exit 105); a second one exits at once.
  let signalled = 0;
  const onSignal = (sig: string) => {
    signalled++;
    if (signalled > 1) {
      logger.log('error', `aborting immediately on a second ${sig}`);
      process.exit(EXIT.externalAbort);
    }
    logger.log('warn', `Stopping the run in response to ${sig}; teardown and the summary still run`);
    setError(EXIT.externalAbort);
    stop.abort();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  cfg.signals?.on('SIGINT', onInt);
  cfg.signals?.on('SIGTERM', onTerm);

  // Periodic work: vus/vus_max every 1 s (no t=0 sample), thresholds every 2 s.
  const vusTimer = setInterval(() => {
    const now = Date.now();
    const active = executors.reduce((n, e) => n + e.vusActive(), 0);
    stats.set('vusActive', active);
    ingest([
      { metric: 'vus', time: now, value: active, tags: { ...plan.runTags } },
      { metric: 'vus_max', time: now, value: pool.initialized, tags: { ...plan.runTags } },
    ]);
  }, 1000);
  const thresholdTimer = setInterval(() => {
    if (stop.signal.aborted) return;
    const r = core.evaluate({ final: false, elapsedMs: Date.now() - started });
    if (r.abort) {
      logger.log('error', `thresholds on metrics '${r.crossed.join(', ')}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`);
      setError(EXIT.thresholds);
      stop.abort();
    }
  }, 2000);
  const progress = new Progress(cfg.stderr, !cfg.quiet && cfg.stderr.isTTY === true, () => executors.map((e) => e.progress()));

  let setupOk = true;
  let setupJson: string | undefined;
  let initFailed = false;
  try {
    // 3. Every VU the run needs at once, each with its own init run.
    try {
      const peak = peakVUs(plan);
      startIoThreads(peak);
      await pool.initialize(peak);
    } catch (err) {
      initFailed = true;
      throw err;
    }

    // 4. setup() in a fresh VU 0.
    if (typeof init.exports['setup'] === 'function') {
      const r = await lifecycleCall(spawnCfg, 'setup', undefined, plan.setupTimeoutMs);
      if (r === 'timeout') {
        logger.log('error', `setup() execution timed out after ${plan.setupTimeoutMs / 1000} seconds`);
        setError(EXIT.setupTimeout);
        setupOk = false;
      } else if (r.error) {
        logger.log('error', ...scriptErrorFields(r.error));
        setError(r.error.message.startsWith('TestAbortError') ? EXIT.scriptAborted : EXIT.scriptException);
        setupOk = false;
      } else setupJson = r.value;
    }

    // 5. Every scenario concurrently, each from its startTime.
    if (setupOk && !stop.signal.aborted) {
      pool.setSetupData(setupJson);
      const env = {
        pool,
        stats,
        runTags: plan.runTags,
        emit: ingest,
        warn: (m: string) => logger.log('warn', m),
        iterationError: (e: VuScriptError, vuId: number) =>
          logger.log('error', e.stack, { source: 'stacktrace', vu: String(vuId) }),
        stop: stop.signal,
      };
      for (const s of plan.scenarios) executors.push(createExecutor(s, env));
      progress.start();
      // An error in one executor (a VU added mid-run whose init throws) stops the others, as in k6.
      const outcomes = await Promise.allSettled(
        executors.map(async (e) => {
          await wait(e.scenario.startTimeMs, stop.signal);
          if (!stop.signal.aborted) await e.run().catch((err: unknown) => {
            stop.abort();
            throw err;
          });
        }),
      );
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    }

    // 6. teardown(data) in a fresh VU 0; skipped when setup failed.
    if (setupOk && typeof init.exports['teardown'] === 'function') {
      const r = await lifecycleCall(spawnCfg, 'teardown', setupJson, plan.teardownTimeoutMs);
      if (r === 'timeout') {
        logger.log('error', `teardown() execution timed out after ${plan.teardownTimeoutMs / 1000} seconds`);
        setError(EXIT.teardownTimeout);
      } else if (r.error) {
        logger.log('error', ...scriptErrorFields(r.error));
        setError(r.error.message.startsWith('TestAbortError') ? EXIT.scriptAborted : EXIT.scriptException);
      }
    }
  } catch (err) {
    if (!(err instanceof ScriptFailure)) throw err;
    logger.log('error', err.error.stack, { hint: 'script exception' });
    setError(err.exitCode);
  } finally {
    clearInterval(vusTimer);
    clearInterval(thresholdTimer);
    progress.stop();
    cfg.signals?.off('SIGINT', onInt);
    cfg.signals?.off('SIGTERM', onTerm);
    await pool.close();
  }

  // An init error ends the run without a summary, as in k6.
  if (initFailed) {
    await output.close();
    return firstError ?? EXIT.scriptException;
  }

  // 7. Final thresholds, then the summary (handleSummary in a fresh VU 0, or the text summary).
  const testRunDurationMs = Date.now() - started;
  const final = core.evaluate({ final: true, elapsedMs: testRunDurationMs });
  await output.close();
  if (final.crossed.length > 0) {
    if (firstError === undefined) logger.log('error', `thresholds on metrics '${final.crossed.join(', ')}' have been crossed`);
    setError(EXIT.thresholds);
  }
  for (const r of final.results) if (r.error) logger.log('warn', r.error);

  const data = core.summaryData({
    testRunDurationMs,
    isStdOutTTY: cfg.stdout.isTTY === true,
    isStdErrTTY: cfg.stderr.isTTY === true,
    ...(setupJson !== undefined ? { setupDataJson: setupJson } : {}),
    options: { summaryTimeUnit: plan.summaryTimeUnit, noColor: plan.noColor },
  });
  // K:internal/js/runner.go HandleSummary: an exception in handleSummary is logged and the default
  // summary follows; a timeout or an invalid result fails the whole summary, so nothing is written.
  const failSummary = (err: string) => logger.log('error', 'failed to handle the end-of-test summary', { error: err });
  let custom: SummaryOutput | undefined;
  let summaryOk = true;
  if (typeof init.exports['handleSummary'] === 'function') {
    const silent = { ...spawnCfg, events: { ...spawnCfg.events, samples: () => {} } };
    const r = await lifecycleCall(silent, 'handleSummary', JSON.stringify(data), HANDLE_SUMMARY_TIMEOUT_MS);
    if (r === 'timeout') {
      summaryOk = false;
      failSummary('handleSummary() execution timed out after 120 seconds');
    } else if (r.error) logger.log('error', ...scriptErrorFields(r.error));
    else if (r.summaryError !== undefined) {
      summaryOk = false;
      failSummary(r.summaryError);
    } else custom = r.summary;
  }
  if (summaryOk) {
    try {
      await writeSummary({
        data,
        core,
        testRunDurationMs,
        custom,
        ...(cfg.summaryExport !== undefined ? { summaryExport: cfg.summaryExport } : {}),
        stdout: cfg.stdout,
        stderr: cfg.stderr,
      });
    } catch (err) {
      failSummary((err as Error).message);
    }
  }
  return firstError ?? EXIT.ok;
}

/** setup/teardown/handleSummary: each in a fresh VU 0 that runs init code again, with a time limit. */
async function lifecycleCall(
  cfg: VuSpawnConfig,
  fn: 'setup' | 'teardown' | 'handleSummary',
  arg: string | undefined,
  timeoutMs: number,
): Promise<CallOutcome | 'timeout'> {
  const vu = new VuHandle(0, cfg);
  try {
    await vu.ready;
    const timer = new AbortController();
    const outcome = vu.call(fn, arg);
    const result = await Promise.race([outcome, wait(timeoutMs, timer.signal).then(() => 'timeout' as const)]);
    timer.abort();
    return result;
  } catch (err) {
    if (err instanceof ScriptFailure) return { error: err.error };
    throw err;
  } finally {
    await vu.terminate();
  }
}
