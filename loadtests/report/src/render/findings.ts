// The findings in words, shared by the HTML and the Markdown so both say exactly the same thing.
import type { ReportModel } from '../build-model.ts';
import { signalLabel as label, type SignalId } from '../analysis/band.ts';
import { fmtMs, fmtPct, fmtSec } from './format.ts';

const list = (ids: SignalId[]) => ids.map(label).join(' and ');

export function headline(m: ReportModel): string {
  const failed = m.verdicts.filter((v) => !v.ok).length;
  const parts: string[] = [];
  if (m.verdicts.length > 0) parts.push(failed === 0 ? `all ${m.verdicts.length} predictions held` : `${failed} of ${m.verdicts.length} predictions failed`);
  for (const f of m.analysis.faults) {
    if (f.detectedAt === undefined) parts.push(`${f.fault.kind} fault not visible in the client's numbers`);
    else parts.push(`${f.fault.kind} fault seen after ${fmtSec(f.timeToDetect)} in ${list(f.firstSignals)}`);
    if (f.timeToRecover !== undefined) parts.push(`recovered ${fmtSec(f.timeToRecover)} after it ended`);
    else if (f.note) parts.push(f.note);
  }
  if (m.analysis.faults.length === 0) {
    const d = m.analysis.departure;
    parts.push(d ? `left its warm-up band at ${fmtSec(d.at)} (${list(d.signals)})` : 'stayed inside its baseline band');
  }
  if (m.ledger) {
    parts.push(
      m.ledger.balanced
        ? 'no acknowledged vote lost or double-counted'
        : m.ledger.values.storedReported
          ? 'VOTE LEDGER DOES NOT BALANCE'
          : 'vote ledger incomplete (no stored count: run unfinished or teardown failed)',
    );
  }
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

/** One paragraph per fault (or one for a fault-free run). */
export function faultParagraphs(m: ReportModel): string[] {
  const o = m.options;
  if (m.analysis.faults.length === 0) {
    const d = m.analysis.departure;
    return [
      d
        ? `No fault was injected. Measured against the warm-up's own band, the run first left it at ${fmtSec(d.at)} in ${list(d.signals)} (sustained for ${o.confirmSeconds}+ s or severe): that is where it starts to struggle.`
        : `No fault was injected, and no signal left the baseline band for ${o.confirmSeconds} consecutive seconds: noise only.`,
    ];
  }
  return m.analysis.faults.map((f) => {
    const w = `${f.fault.kind}${f.fault.detail ? ` (${f.fault.detail})` : ''} from ${fmtSec(f.fault.start)} to ${f.fault.end === undefined ? 'the end of the run (no end marker)' : fmtSec(f.fault.end)}`;
    const seen =
      f.detectedAt === undefined
        ? 'No client-side signal left the baseline band while it was active: the fault was invisible to users (or absorbed).'
        : `It showed first at ${fmtSec(f.detectedAt)}, ${fmtSec(f.timeToDetect)} after it started, in ${list(f.firstSignals)}.` +
          (Object.keys(f.bySignal).length > f.firstSignals.length
            ? ` Then: ${(Object.entries(f.bySignal) as [SignalId, number][])
                .filter(([id]) => !f.firstSignals.includes(id))
                .sort((a, b) => a[1] - b[1])
                .map(([id, t]) => `${label(id)} at ${fmtSec(t)}`)
                .join(', ')}.`
            : '');
    const rec =
      f.recoveredAt !== undefined
        ? `Every signal was back inside the band from ${fmtSec(f.recoveredAt)} on (${o.recoverSeconds} consecutive seconds), ${fmtSec(f.timeToRecover)} after the fault ended.`
        : `Recovery could not be measured: ${f.note ?? 'unknown'}.`;
    return `Fault ${w}. ${seen} ${rec}`;
  });
}

export function bandSentence(m: ReportModel): string {
  const a = m.analysis;
  if (a.bands.length === 0) return 'There was not enough baseline (fewer than 3 full seconds) to build a band.';
  const b = a.bands
    .map((x) =>
      x.id === 'rate'
        ? `request rate ≥ ${x.band.lower.toFixed(1)} req/s`
        : x.id === 'errorRatio'
          ? `error ratio ≤ ${fmtPct(x.band.upper)}`
          : `${x.label} ≤ ${fmtMs(x.band.upper)}`,
    )
    .join(', ');
  const o = m.options;
  return (
    `Baseline band from ${a.baselineSeconds} s of warm-up/steady data before any fault: ${b}. ` +
    `Each edge is median ± ${o.band.k}·MAD·1.4826, but never tighter than ${fmtPct(o.band.errorFloor)} over the median error ratio, ` +
    `${o.band.latencyFactor}× and +${o.band.latencyFloorMs} ms over the median latency, or ${o.band.rateFactor}× the median rate. ` +
    `A signal has left the band when it is outside for ${o.confirmSeconds}+ consecutive seconds or ${o.severeExcess}+ band widths out in one second.`
  );
}

export function recoveryMeasured(m: ReportModel): string | undefined {
  if (m.series.recovery.length === 0) return undefined;
  return `The scenario's own recovery probe measured: ${m.series.recovery.map((r) => `${r.kind} ${fmtMs(r.ms)}`).join(', ')}.`;
}
