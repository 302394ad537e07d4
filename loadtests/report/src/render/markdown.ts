// results/<scenario>.md: the findings write-up, with the timeline as an SVG figure beside it.
import type { ReportModel } from '../build-model.ts';
import { signalLabel, type SignalId } from '../analysis/band.ts';
import { bandSentence, faultParagraphs, headline, recoveryMeasured } from './findings.ts';
import { disagreementRows, faultRows, ledgerRows, phaseRows, verdictRows, type Row } from './tables.ts';

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
export function mdTable(t: { head: Row; rows: Row[] }): string {
  return [`| ${t.head.map(mdCell).join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');
}

export function markdown(m: ReportModel, figureFile: string): string {
  const ledger = ledgerRows(m);
  const dis = disagreementRows(m);
  const rec = recoveryMeasured(m);
  const out: string[] = [
    `# ${m.scenario}: findings`,
    '',
    `**${headline(m)}**`,
    '',
    '## What we did',
    '',
    mdTable({ head: ['parameter', 'value', 'source'], rows: m.params.map((p) => [p.label, p.value, p.source]) }),
    '',
    '## What we saw',
    '',
    `![Timeline of ${m.scenario}: request rate, error ratio, latency percentiles and VUs, fault window shaded](${figureFile})`,
    '',
    ...faultParagraphs(m).flatMap((p) => [p, '']),
  ];
  if (rec) out.push(rec, '');
  if (m.analysis.faults.length) out.push('## How long until recovery', '', mdTable(faultRows(m)), '');
  out.push('### By phase', '', mdTable(phaseRows(m)), '');
  if (m.analysis.faults.length) {
    out.push('## Which metric showed it first', '');
    for (const f of m.analysis.faults) {
      const order = Object.entries(f.bySignal).sort((a, b) => a[1] - b[1]).map(([id, t]) => `${signalLabel(id as SignalId)} at ${t} s`);
      out.push(`- ${f.fault.kind}: ${order.length ? `${f.firstSignals.map(signalLabel).join(' and ')} first (${order.join(', ')})` : 'none — no client-side signal left the band'}`);
    }
    out.push('');
  }
  if (m.server) {
    out.push('## Server side', '', `Prometheus at ${m.server.url}, ${m.server.windowS} s rate window.${m.server.missing.length ? ` No data for: ${m.server.missing.join(', ')}.` : ''}`, '');
    if (dis && dis.rows.length) out.push('Where client and server disagree:', '', mdTable(dis), '');
    else out.push('Client and server agree on error ratio and p95 for the whole run.', '');
  } else if (m.serverError) out.push('## Server side', '', `Prometheus could not be queried: ${m.serverError}`, '');
  out.push('## Vote ledger', '', ledger ? mdTable(ledger) : 'This scenario kept no vote ledger.', '');
  out.push('## Verdicts', '', m.verdicts.length ? mdTable(verdictRows(m)) : 'No summary JSON with thresholds was found.', '');
  out.push('## Method', '', bandSentence(m), '');
  return out.join('\n');
}
