// results/<scenario>.html: one self-contained page. Inline CSS and SVG only: no script, no network.
import type { ReportModel } from '../build-model.ts';
import { esc } from './escape.ts';
import { signalLabel } from '../analysis/band.ts';
import { bandSentence, faultParagraphs, headline, recoveryMeasured } from './findings.ts';
import { runCharts } from './run-charts.ts';
import { disagreementRows, faultRows, ledgerRows, phaseRows, verdictRows, type Row } from './tables.ts';

export const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto; max-width: 1000px; padding: 24px; background: #fafafa; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.lead { font-size: 16px; margin: 4px 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px; margin: 12px 0; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; }
.card .k { font-size: 12px; color: #555; } .card .v { font-size: 20px; font-weight: 600; }
figure { margin: 12px 0; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 6px; overflow-x: auto; }
svg.chart { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; background: #fff; margin: 8px 0; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } td.ok { color: #006b4f; font-weight: 600; } td.bad { color: #b04000; font-weight: 600; }
.muted { color: #666; font-size: 13px; } code { background: #eee; padding: 0 3px; border-radius: 3px; }
a { color: #0057a0; }
`;

export function table(t: { head: Row; rows: Row[] }, cls = ''): string {
  const cell = (c: string) => {
    const k = c.startsWith('✓') ? ' class="ok"' : c.startsWith('✗') ? ' class="bad"' : '';
    return `<td${k}>${esc(c)}</td>`;
  };
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${t.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const card = (k: string, v: string) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div></div>`;

export function htmlPage(m: ReportModel): string {
  const charts = runCharts(m);
  const f0 = m.analysis.faults[0];
  const all = m.series.phases.reduce((a, p) => ({ reqs: a.reqs + p.reqs, failed: a.failed + p.failed }), { reqs: 0, failed: 0 });
  const dropped = m.series.seconds.reduce((a, x) => a + x.dropped, 0);
  const cards = [
    card('requests', all.reqs.toLocaleString('en-US')),
    card('failed', `${all.failed.toLocaleString('en-US')} (${all.reqs ? ((100 * all.failed) / all.reqs).toFixed(2) : '0'} %)`),
    ...(f0
      ? [
          card('time to detect', f0.timeToDetect === undefined ? 'not seen' : `${Number(f0.timeToDetect.toFixed(1))} s`),
          card('first signal', f0.firstSignals.map(signalLabel).join(', ') || 'none'),
          card('time to recover', f0.timeToRecover === undefined ? 'not measured' : `${Number(f0.timeToRecover.toFixed(1))} s`),
        ]
      : []),
    ...(dropped > 0 ? [card('dropped iterations', dropped.toLocaleString('en-US'))] : []),
    ...(m.verdicts.length ? [card('predictions held', `${m.verdicts.filter((v) => v.ok).length} / ${m.verdicts.length}`)] : []),
    ...(m.ledger ? [card('vote ledger', m.ledger.balanced ? '✓ balanced' : m.ledger.values.storedReported ? '✗ unbalanced' : '✗ incomplete')] : []),
  ];
  const ledger = ledgerRows(m);
  const dis = disagreementRows(m);
  const rec = recoveryMeasured(m);
  const body = [
    `<header><h1>chaos-lab · ${esc(m.scenario)}</h1><p class="lead" id="headline">${esc(headline(m))}</p></header>`,
    `<section aria-label="key numbers" class="cards">${cards.join('')}</section>`,
    `<h2>What we saw</h2>`,
    ...faultParagraphs(m).map((p) => `<p>${esc(p)}</p>`),
    rec ? `<p>${esc(rec)}</p>` : '',
    m.analysis.faults.length ? table(faultRows(m), 'faults') : '',
    `<h2>Timeline</h2><p class="muted">Shaded: fault window (from the scenario's <code>chaos_fault_events</code> markers). Dotted: phase changes. Dashed horizontal: the thresholds (black held, vermillion failed).</p>`,
    ...charts.filter((c) => !c.id.startsWith('server-')).map((c) => `<figure>${c.svg}</figure>`),
    m.server || m.serverError ? `<h2>Server side (Prometheus)</h2>` : '',
    m.serverError ? `<p class="bad">Prometheus could not be queried: ${esc(m.serverError)}</p>` : '',
    m.server
      ? `<p class="muted">From ${esc(m.server.url)}, every rate over a trailing ${m.server.windowS} s window.${m.server.missing.length ? ` No data for: ${esc(m.server.missing.join(', '))}.` : ''}</p>`
      : '',
    ...charts.filter((c) => c.id.startsWith('server-')).map((c) => `<figure>${c.svg}</figure>`),
    dis
      ? dis.rows.length
        ? `<h3>Where client and server disagree</h3>${table(dis, 'disagreements')}`
        : `<p>Client and server agree on error ratio and p95 for the whole run.</p>`
      : '',
    `<h2>Predictions</h2>`,
    m.verdicts.length ? table(verdictRows(m), 'verdicts') : `<p>No summary JSON with thresholds was found next to the NDJSON.</p>`,
    `<h2>Phases</h2>`,
    table(phaseRows(m), 'phases'),
    `<p class="muted">Whole-phase percentiles come from a ±1 % relative-error sketch; per-second percentiles in the charts are exact.</p>`,
    `<h2>Vote ledger</h2>`,
    ledger ? table(ledger, 'ledger') : `<p>This scenario kept no vote ledger.</p>`,
    `<h2>Run</h2>`,
    table({ head: ['parameter', 'value', 'source'], rows: m.params.map((p) => [p.label, p.value, p.source]) }, 'params'),
    `<h2>Method</h2><p class="muted">${esc(bandSentence(m))}</p>`,
    `<p class="muted">Source: <code>${esc(m.ndjsonPath)}</code> (${m.series.lines.toLocaleString('en-US')} lines)${m.summaryPath ? `, <code>${esc(m.summaryPath)}</code>` : ''}.${m.series.lateSamples ? ` ${m.series.lateSamples} latency samples arrived too late for their second's percentiles.` : ''}</p>`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chaos-lab report: ${esc(m.scenario)}</title><style>${CSS}</style></head>
<body>
${body.filter(Boolean).join('\n')}
</body></html>
`;
}
