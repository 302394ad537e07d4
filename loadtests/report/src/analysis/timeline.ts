// Time to detect, time to recover and which signal moved first, per fault window. Pure functions over the
// per-second series so they can be tested with known answers.
import type { FaultWindow, SecondStats } from '../model.ts';
import { DEFAULT_BAND, SIGNALS, buildBand, excess, type Band, type BandOptions, type Signal, type SignalId } from './band.ts';

export interface AnalysisOptions {
  band: BandOptions;
  /** A departure counts when it lasts this many consecutive seconds ... */
  confirmSeconds: number;
  /** ... or, for a single second, when it is this many band widths outside (a SIGKILL's one-second burst). */
  severeExcess: number;
  /** Recovered = this many consecutive seconds inside the band on every signal. */
  recoverSeconds: number;
  /** Departures are attributed to a fault from its start until this long after its end. */
  detectGraceSeconds: number;
}

export const DEFAULT_ANALYSIS: AnalysisOptions = {
  band: DEFAULT_BAND,
  confirmSeconds: 3,
  severeExcess: 3,
  recoverSeconds: 5,
  detectGraceSeconds: 10,
};

export interface SignalBand {
  id: SignalId;
  label: string;
  band: Band;
}

export interface FaultFinding {
  fault: FaultWindow;
  /** Seconds since t0 of the first second that left the band (undefined = never). */
  detectedAt: number | undefined;
  /** detectedAt − fault start, seconds. */
  timeToDetect: number | undefined;
  /** Per signal: the first departing second, or undefined. */
  bySignal: Partial<Record<SignalId, number>>;
  /** The signal(s) that departed first (ties are all listed). */
  firstSignals: SignalId[];
  /** Seconds since t0 of the first second from which recoverSeconds consecutive seconds are in band. */
  recoveredAt: number | undefined;
  /** recoveredAt − fault end, seconds. */
  timeToRecover: number | undefined;
  /** Why recovery could not be measured, when it could not. */
  note?: string;
}

export interface Analysis {
  baselineSeconds: number;
  bands: SignalBand[];
  faults: FaultFinding[];
  /** For runs without fault markers: the first sustained departure after the baseline (e.g. stress struggling). */
  departure: { at: number; signals: SignalId[] } | undefined;
}

/** The seconds that define normal: warm-up/steady before the first fault; without faults, warm-up only. */
export function baselineSeconds(seconds: readonly SecondStats[], faults: readonly FaultWindow[]): SecondStats[] {
  const full = seconds.filter((s) => !s.partial);
  const firstFault = faults.length > 0 ? Math.min(...faults.map((f) => f.start)) : Infinity;
  const before = full.filter((s) => s.t + 1 <= firstFault);
  const tagged = before.filter((s) => s.phase === 'warmup' || s.phase === 'steady');
  if (faults.length > 0) return tagged.length >= 3 ? tagged : before;
  const warm = before.filter((s) => s.phase === 'warmup');
  return warm.length >= 3 ? warm : before;
}

type Banded = { signal: Signal; band: Band };

function firstDeparture(seconds: readonly SecondStats[], from: number, to: number, b: Banded, o: AnalysisOptions): number | undefined {
  const byT = (t: number) => seconds[t];
  for (let t = Math.max(0, from); t <= to && t < seconds.length; t++) {
    const s = byT(t) as SecondStats;
    if (s.partial) continue;
    const x = excess(b.signal, b.band, s);
    if (x <= 0) continue;
    if (x >= o.severeExcess) return t;
    let run = 1;
    for (let u = t + 1; run < o.confirmSeconds && u < seconds.length; u++, run++) {
      const next = byT(u) as SecondStats;
      if (next.partial || excess(b.signal, b.band, next) <= 0) break;
    }
    if (run >= o.confirmSeconds) return t;
  }
  return undefined;
}

function inBand(s: SecondStats, banded: readonly Banded[]): boolean {
  return banded.every((b) => excess(b.signal, b.band, s) <= 0);
}

/** `seconds[i].t` must equal i (the aggregator's output is dense from t = 0). */
export function analyse(seconds: readonly SecondStats[], faults: readonly FaultWindow[], o: AnalysisOptions = DEFAULT_ANALYSIS): Analysis {
  seconds.forEach((s, i) => {
    if (s.t !== i) throw new Error(`series must be dense from t=0 (index ${i} has t=${s.t})`);
  });
  const base = baselineSeconds(seconds, faults);
  const banded: Banded[] = [];
  for (const signal of SIGNALS) {
    const band = buildBand(signal, base, o.band);
    if (band) banded.push({ signal, band });
  }
  const bands = banded.map((b) => ({ id: b.signal.id, label: b.signal.label, band: b.band }));
  const last = seconds.length - 1;

  const findings = faults.map((fault, i): FaultFinding => {
    const startSec = Math.floor(fault.start);
    const nextStart = faults[i + 1]?.start ?? Infinity;
    const endSec = fault.end === undefined ? last : Math.ceil(fault.end);
    const detectTo = Math.min(endSec + o.detectGraceSeconds, Math.floor(nextStart) - 1, last);
    const bySignal: Partial<Record<SignalId, number>> = {};
    for (const b of banded) {
      const t = firstDeparture(seconds, startSec, detectTo, b, o);
      if (t !== undefined) bySignal[b.signal.id] = t;
    }
    const times = Object.values(bySignal);
    const detectedAt = times.length > 0 ? Math.min(...times) : undefined;
    const firstSignals = banded.map((b) => b.signal.id).filter((id) => bySignal[id] === detectedAt && detectedAt !== undefined);

    let recoveredAt: number | undefined;
    let note: string | undefined;
    if (banded.length === 0) note = 'no baseline to compare with (fewer than 3 full seconds before the fault)';
    else if (fault.end === undefined) note = 'the fault has no end marker';
    else {
      for (let t = endSec; t + o.recoverSeconds - 1 <= last; t++) {
        let ok = true;
        for (let u = t; u < t + o.recoverSeconds; u++) {
          const s = seconds[u] as SecondStats;
          if (s.partial || !inBand(s, banded)) {
            ok = false;
            break;
          }
        }
        if (ok) {
          recoveredAt = t;
          break;
        }
      }
      if (recoveredAt === undefined) note = `not back inside the band for ${o.recoverSeconds} consecutive seconds before the run ended`;
    }
    return {
      fault,
      detectedAt,
      timeToDetect: detectedAt === undefined ? undefined : detectedAt - fault.start,
      bySignal,
      firstSignals,
      recoveredAt,
      timeToRecover: recoveredAt === undefined || fault.end === undefined ? undefined : Math.max(0, recoveredAt - fault.end),
      ...(note ? { note } : {}),
    };
  });

  let departure: Analysis['departure'];
  if (faults.length === 0 && banded.length > 0) {
    const from = base.length > 0 ? Math.max(...base.map((s) => s.t)) + 1 : 0;
    const hits = banded
      .filter((b) => b.signal.id !== 'rate') // rate is the load we chose (it may ramp), not a symptom without a fault
      .map((b) => ({ id: b.signal.id, t: firstDeparture(seconds, from, last, b, o) }))
      .filter((h): h is { id: SignalId; t: number } => h.t !== undefined);
    if (hits.length > 0) {
      const at = Math.min(...hits.map((h) => h.t));
      departure = { at, signals: hits.filter((h) => h.t === at).map((h) => h.id) };
    }
  }
  return { baselineSeconds: base.length, bands, faults: findings, departure };
}
