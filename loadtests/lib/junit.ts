// JUnit XML for CI systems: one testsuite per experiment, one testcase per prediction. Pure, no k6 imports.
// Written here rather than imported from jslib because the suite allows no remote imports.

import type { PredictionResult } from './verdict.ts';

export const xmlEscape = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string)
    // XML 1.0 forbids most control characters even when escaped.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitXml(opts: {
  scenario: string;
  results: PredictionResult[];
  durationMs: number;
  /** Extra failing cases, e.g. the ledger when the poll could not be read back. */
  extraFailures?: { name: string; message: string }[];
}): string {
  const extra = opts.extraFailures ?? [];
  const failures = opts.results.filter((r) => r.outcome !== 'pass').length + extra.length;
  const tests = opts.results.length + extra.length;
  const cases = opts.results.map((r) => {
    const name = xmlEscape(`${r.prediction.text} [${r.key} ${r.prediction.expr}]`);
    const open = `    <testcase classname="chaos-lab.${xmlEscape(opts.scenario)}" name="${name}"`;
    if (r.outcome === 'pass') return `${open}/>`;
    const msg = xmlEscape(
      r.outcome === 'unknown'
        ? `no data for ${r.key}`
        : `${r.key} ${r.prediction.expr} failed${r.observed ? ` (${r.observed})` : ''}`,
    );
    return `${open}>\n      <failure message="${msg}" type="threshold">${msg}</failure>\n    </testcase>`;
  });
  for (const f of extra) {
    const msg = xmlEscape(f.message);
    cases.push(
      `    <testcase classname="chaos-lab.${xmlEscape(opts.scenario)}" name="${xmlEscape(f.name)}">\n` +
        `      <failure message="${msg}" type="ledger">${msg}</failure>\n    </testcase>`,
    );
  }
  const time = (opts.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="chaos-lab" tests="${tests}" failures="${failures}" time="${time}">`,
    `  <testsuite name="${xmlEscape(opts.scenario)}" tests="${tests}" failures="${failures}" errors="0" time="${time}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
