// Time-series charts as plain SVG strings: no library, no script, readable offline and inside Markdown.
import { esc } from './escape.ts';
import { COLORS, DASHES, FAULT_FILL, GRID, INK, MUTED } from './palette.ts';

export interface Series {
  label: string;
  color: string;
  dash?: string;
  /** y per second (index = t); undefined = no data (a gap in the line). */
  values: readonly (number | undefined)[];
  /** Offset added to the index so a point sits in the middle of its second. */
  xOffset?: number;
}

export interface Window {
  start: number;
  end: number;
  label: string;
}

export interface HLine {
  y: number;
  label: string;
  color?: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  yLabel: string;
  /** Formats a tick value (the unit goes in yLabel). */
  yFormat?: (v: number) => string;
  scale?: 'linear' | 'log';
  series: Series[];
  windows?: Window[];
  /** Phase boundaries: a dotted line and the phase name. */
  marks?: { x: number; label: string }[];
  hlines?: HLine[];
  /** Seconds to flag (e.g. client and server disagree): a vermillion tick above the plot for each. */
  flags?: { t: number; label: string }[];
  xMax: number;
  /** Fixed y domain (small multiples share one); otherwise derived from the data. */
  yDomain?: [number, number];
  width?: number;
  height?: number;
  legend?: boolean;
  compact?: boolean;
}

const niceStep = (span: number, target: number) => {
  const raw = span / Math.max(1, target);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
};

/** Evenly spaced ticks from `from`; a degenerate span or step (0, NaN, infinite) gives just `from`, never an endless loop. */
const ticks = (from: number, to: number, step: number): number[] => {
  if (!(step > 0) || !Number.isFinite(step) || !Number.isFinite(from) || !Number.isFinite(to)) return Number.isFinite(from) ? [from] : [];
  const n = Math.max(0, Math.min(100, Math.floor((to - from) / step + 1e-9)));
  return Array.from({ length: n + 1 }, (_, i) => from + i * step);
};

const defaultFormat = (v: number) =>
  Math.abs(v) >= 1000 ? `${Number((v / 1000).toFixed(1))}k` : Number(v.toPrecision(3)).toString();

/** The y domain a chart would pick for these series and lines (exported so small multiples can share one). */
export function yExtent(series: readonly Series[], hlines: readonly HLine[] = [], scale: 'linear' | 'log' = 'linear'): [number, number] {
  const vals: number[] = [];
  for (const s of series) for (const v of s.values) if (v !== undefined && Number.isFinite(v) && (scale === 'linear' || v > 0)) vals.push(v);
  for (const h of hlines) if (Number.isFinite(h.y)) vals.push(h.y);
  if (scale === 'log') {
    const lo = vals.length ? Math.min(...vals) : 1;
    const hi = vals.length ? Math.max(...vals) : 10;
    return [Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi * 1.0001)))];
  }
  const hi = vals.length ? Math.max(...vals) : 1;
  const step = niceStep(hi || 1, 4);
  return [0, Math.max(step, Math.ceil((hi * 1.05) / step) * step)];
}

export function chart(spec: ChartSpec): string {
  const W = spec.width ?? 760;
  const H = spec.height ?? 220;
  const compact = spec.compact ?? false;
  const m = compact ? { l: 44, r: 8, t: 8, b: 24 } : { l: 64, r: 180, t: spec.legend === false ? 30 : 50, b: 40 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const scale = spec.scale ?? 'linear';
  const [yLow, y1] = spec.yDomain ?? yExtent(spec.series, spec.hlines, scale);
  // A log axis cannot start at 0 or below; start a decade under the top instead of drawing NaN.
  const y0 = scale === 'log' && !(yLow > 0) ? Math.min(1, y1 / 10) : yLow;
  const fmt = spec.yFormat ?? defaultFormat;
  const xMax = Math.max(1, spec.xMax);
  const X = (t: number) => m.l + (Math.min(Math.max(t, 0), xMax) / xMax) * pw;
  const Y = (v: number) => {
    const f = scale === 'log' ? (Math.log10(Math.max(v, y0)) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0)) : (v - y0) / (y1 - y0 || 1);
    return m.t + ph - Math.min(1, Math.max(0, f)) * ph;
  };
  const out: string[] = [];
  const titleId = `${spec.id}-title`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${esc(spec.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${esc(titleId)}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="${compact ? 10 : 12}">`,
    `<title id="${esc(titleId)}">${esc(spec.title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`,
  );
  // Small multiples are titled by their row and column headers; the <title> still names them for screen readers.
  if (!compact) out.push(`<text x="${m.l}" y="18" font-weight="600" font-size="14" fill="${INK}">${esc(spec.title)}</text>`);
  // Fault windows first so everything else draws over them.
  for (const w of spec.windows ?? []) {
    const x0 = X(w.start);
    const x1 = Math.max(X(w.end), x0 + 2);
    out.push(
      `<rect class="fault-window" x="${x0.toFixed(1)}" y="${m.t}" width="${(x1 - x0).toFixed(1)}" height="${ph}" fill="${FAULT_FILL}" fill-opacity="0.18" stroke="${FAULT_FILL}" stroke-opacity="0.6"><title>${esc(w.label)}</title></rect>`,
    );
    if (!compact) out.push(`<text x="${(x0 + 3).toFixed(1)}" y="${m.t + 12}" fill="#8a5a00" font-size="11">${esc(w.label)}</text>`);
  }
  // Y grid and ticks.
  const yTicks =
    scale === 'log'
      ? ticks(Math.log10(y0), Math.log10(y1), 1).map((e) => Math.pow(10, e))
      : ticks(y0, y1, niceStep(y1 - y0, compact ? 2 : 4));
  for (const v of yTicks) {
    const y = Y(v).toFixed(1);
    out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${y}" y2="${y}" stroke="${GRID}"/>`);
    out.push(`<text x="${m.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="${MUTED}">${esc(fmt(v))}</text>`);
  }
  // X ticks.
  for (const t of ticks(0, xMax, niceStep(xMax, compact ? 3 : 8))) {
    const x = X(t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${m.t + ph}" y2="${m.t + ph + 4}" stroke="${MUTED}"/>`);
    out.push(`<text x="${x}" y="${m.t + ph + (compact ? 13 : 16)}" text-anchor="middle" fill="${MUTED}">${esc(Number(t.toFixed(1)))}</text>`);
  }
  out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="${MUTED}"/>`);
  out.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" stroke="${MUTED}"/>`);
  if (!compact) {
    out.push(`<text x="${m.l + pw / 2}" y="${H - 6}" text-anchor="middle" fill="${INK}">time since start (s)</text>`);
    out.push(`<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" fill="${INK}">${esc(spec.yLabel)}${scale === 'log' ? ' (log)' : ''}</text>`);
  }
  for (const mk of spec.marks ?? []) {
    const x = X(mk.x).toFixed(1);
    out.push(`<line class="phase-mark" x1="${x}" x2="${x}" y1="${m.t}" y2="${m.t + ph}" stroke="${MUTED}" stroke-dasharray="1 3"/>`);
    if (!compact) out.push(`<text x="${(Number(x) + 3).toFixed(1)}" y="${m.t + ph - 4}" fill="${MUTED}" font-size="10">${esc(mk.label)}</text>`);
  }
  // Threshold lines; their labels are nudged apart so close limits stay readable.
  let lastLabelY = -Infinity;
  const hlines = [...(spec.hlines ?? [])].filter((h) => Number.isFinite(h.y)).sort((a, b) => Y(a.y) - Y(b.y));
  for (const h of hlines) {
    const y = Y(h.y);
    const c = h.color ?? COLORS.black;
    out.push(`<line class="threshold" x1="${m.l}" x2="${m.l + pw}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${c}" stroke-width="1.2" stroke-dasharray="4 4"/>`);
    if (compact) continue;
    const ly = Math.max(y, lastLabelY + 12);
    lastLabelY = ly;
    out.push(`<text x="${m.l + pw + 4}" y="${ly.toFixed(1)}" dominant-baseline="middle" fill="${c}" font-size="10.5">${esc(h.label)}</text>`);
  }
  for (const f of spec.flags ?? []) {
    const x0 = X(f.t);
    out.push(`<rect class="flag" x="${x0.toFixed(1)}" y="${m.t + 1}" width="${Math.max(2, X(f.t + 1) - x0).toFixed(1)}" height="5" fill="${COLORS.vermillion}"><title>${esc(f.label)}</title></rect>`);
  }
  // Series: one path each, broken where there is no data.
  spec.series.forEach((s, i) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, t) => {
      if (v === undefined || !Number.isFinite(v) || (scale === 'log' && v <= 0)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${X(t + (s.xOffset ?? 0.5)).toFixed(1)} ${Y(v).toFixed(1)}`;
      pen = true;
    });
    const dash = s.dash ?? DASHES[i % DASHES.length];
    out.push(
      `<path class="series" data-series="${esc(s.label)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="${compact ? 1.3 : 1.8}" stroke-linejoin="round"${dash ? ` stroke-dasharray="${dash}"` : ''}><title>${esc(s.label)}</title></path>`,
    );
  });
  if (spec.legend !== false && !compact) {
    let x = m.l;
    const y = 36;
    const items: string[] = [];
    spec.series.forEach((s, i) => {
      const dash = s.dash ?? DASHES[i % DASHES.length];
      items.push(
        `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
        `<text x="${x + 27}" y="${y}" dominant-baseline="middle" fill="${INK}">${esc(s.label)}</text>`,
      );
      x += 40 + s.label.length * 6.6;
    });
    if ((spec.flags ?? []).length > 0) {
      items.push(
        `<rect x="${x}" y="${y - 3}" width="22" height="5" fill="${COLORS.vermillion}"/>`,
        `<text x="${x + 27}" y="${y}" dominant-baseline="middle" fill="${INK}">client ≠ server</text>`,
      );
      x += 130;
    }
    if ((spec.windows ?? []).length > 0) {
      items.push(
        `<rect x="${x}" y="${y - 6}" width="22" height="12" fill="${FAULT_FILL}" fill-opacity="0.25" stroke="${FAULT_FILL}"/>`,
        `<text x="${x + 27}" y="${y}" dominant-baseline="middle" fill="${INK}">fault window</text>`,
      );
    }
    out.push(`<g class="legend">${items.join('')}</g>`);
  }
  out.push('</svg>');
  return out.join('');
}

/** Stacks charts into one SVG file (the Markdown report's figure). */
export function stack(svgs: readonly { svg: string; height: number; width: number }[]): string {
  const W = Math.max(...svgs.map((s) => s.width));
  let y = 0;
  const parts = svgs.map((s) => {
    const inner = s.svg.replace('<svg ', `<svg x="0" y="${y}" `);
    y += s.height;
    return inner;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${y}" width="${W}" height="${y}">${parts.join('')}</svg>`;
}
