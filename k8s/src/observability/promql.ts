// Tiny PromQL builders for the expressions that repeat across rules and panels. They only assemble strings;
// every expression they produce is parsed by promtool and executed against a real Prometheus in the tests.

/** `{a, b}` selector body from label matchers, e.g. sel('route=~"/api/.*"', 'le="0.5"'). */
export const sel = (...matchers: string[]): string => `{${matchers.filter(Boolean).join(', ')}}`;

export const rate = (metric: string, matchers: string[], window: string): string =>
  `rate(${metric}${sel(...matchers)}[${window}])`;

export const sumBy = (labels: readonly string[], expr: string): string => `sum by (${labels.join(', ')}) (${expr})`;

/**
 * part / whole, where groups with traffic but no `part` series yet (no error has happened so far) read 0
 * instead of vanishing, so the ratio exists from the first request on.
 */
export const ratioOrZero = (labels: readonly string[], part: string, whole: string): string =>
  `(${sumBy(labels, part)} or 0 * ${sumBy(labels, whole)}) / ${sumBy(labels, whole)}`;
