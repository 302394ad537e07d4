// Number formatting shared by every output so the HTML, the Markdown and the charts say the same thing.
export const fmtMs = (ms: number | undefined): string =>
  ms === undefined || !Number.isFinite(ms) ? '–' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
export const fmtPct = (r: number | undefined): string =>
  r === undefined || !Number.isFinite(r) ? '–' : r === 0 ? '0 %' : r < 0.001 ? `${(r * 100).toFixed(3)} %` : `${(r * 100).toFixed(r < 0.1 ? 2 : 1)} %`;
export const fmtSec = (s: number | undefined): string => (s === undefined || !Number.isFinite(s) ? '–' : `${Number(s.toFixed(1))} s`);
export const fmtNum = (n: number | undefined, digits = 0): string =>
  n === undefined || !Number.isFinite(n) ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits });

export function fmtValue(v: number | undefined, unit: 'ms' | 'bytes' | 'ratio' | ''): string {
  if (v === undefined) return '–';
  if (unit === 'ms') return fmtMs(v);
  if (unit === 'ratio') return fmtPct(v);
  if (unit === 'bytes') return `${fmtNum(v)} B`;
  return fmtNum(v, 2);
}
