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
  /** Recovered = this many consecutive seconds with no signal in a departure. */
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
  /** detectedAt − fault start, seconds (0 when seen in the second the fault began). */
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
  /** For runs without fault markers: the first sustained departure after the reference (warm-up, or the first fifth). */
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
  if (warm.length >= 3) return warm;
  // No fault and no warm-up phase: the first fifth of the run (at least 10 s) is the reference.
  return full.slice(0, Math.max(10, Math.floor(full.length / 5)));
}

type Banded = { signal: Signal; band: Band };

/**
 * Per second: is this signal in a real departure? Out of band for confirmSeconds in a row, or severely out
 * for one second. Detection and recovery share this notion so an isolated mild blip neither raises an alarm
 * nor resets the recovery clock.
 */
function departures(seconds: readonly SecondStats[], b: Banded, o: AnalysisOptions, allowSevere = true): boolean[] {
  const x = seconds.map((s) => (s.partial ? 0 : excess(b.signal, b.band, s)));
  const out = x.map(() => false);
  for (let t = 0; t < x.length; ) {
    if ((x[t] as number) <= 0) {
      t++;
      continue;
    }
    let u = t;
    while (u < x.length && (x[u] as number) > 0) u++;
    const sustained = u - t >= o.confirmSeconds;
    for (let v = t; v < u; v++) out[v] = sustained || (allowSevere && (x[v] as number) >= o.severeExcess);
    t = u;
  }
  return out;
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
  const masks = banded.map((b) => ({ id: b.signal.id, out: departures(seconds, b, o) }));
  const firstIn = (out: boolean[], from: number, to: number) => {
    for (let t = Math.max(0, from); t <= to; t++) if (out[t]) return t;
    return undefined;
  };
  const anyOut = (t: number) => masks.some((m) => m.out[t]);

  const findings = faults.map((fault, i): FaultFinding => {
    const startSec = Math.floor(fault.start);
    const nextStart = faults[i + 1]?.start ?? Infinity;
    const endSec = fault.end === undefined ? last : Math.ceil(fault.end);
    const detectTo = Math.min(endSec + o.detectGraceSeconds, Math.floor(nextStart) - 1, last);
    const bySignal: Partial<Record<SignalId, number>> = {};
    for (const m of masks) {
      const t = firstIn(m.out, startSec, detectTo);
      if (t !== undefined) bySignal[m.id] = t;
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
          if ((seconds[u] as SecondStats).partial || anyOut(u)) {
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
      // Second resolution: a departure in the very second the fault began counts as 0, not as negative.
      timeToDetect: detectedAt === undefined ? undefined : Math.max(0, detectedAt - fault.start),
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
    // Without a fault, only sustained departures count (a lone slow second is not "starting to struggle"),
    // and rate is the load we chose (it may ramp), not a symptom.
    const hits = banded
      .filter((b) => b.signal.id !== 'rate')
      .map((b) => ({ id: b.signal.id, t: firstIn(departures(seconds, b, o, false), from, last) }))
      .filter((h): h is { id: SignalId; t: number } => h.t !== undefined);
    if (hits.length > 0) {
      const at = Math.min(...hits.map((h) => h.t));
      departure = { at, signals: hits.filter((h) => h.t === at).map((h) => h.id) };
    }
  }
  return { baselineSeconds: base.length, bands, faults: findings, departure };
}
