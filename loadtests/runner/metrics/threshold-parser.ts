// Threshold expressions `<aggregation> <operator> <number>` (K:metrics/thresholds_parser.go).
import { parseGoFloat } from './go-float.ts';
import type { MetricType } from './types.ts';

export type ThresholdOperator = '<=' | '<' | '>=' | '>' | '===' | '==' | '!=';
export type AggregationMethod = 'value' | 'count' | 'rate' | 'avg' | 'min' | 'med' | 'max' | 'p';

export interface ThresholdExpression {
  method: AggregationMethod;
  /** The N of `p(N)`; undefined for the other methods. */
  percentile?: number;
  operator: ThresholdOperator;
  value: number;
  /** The aggregation as written, trimmed (`p(95)`), for messages and the text summary. */
  aggregation: string;
}

export class ThresholdSyntaxError extends Error {
  override name = 'ThresholdSyntaxError';
}

// Order matters: the scan splits on the first operator found in this list, so longer tokens that share
// characters with shorter ones come first (`<=` before `<`, `===` before `==`).
const OPERATORS: readonly ThresholdOperator[] = ['<=', '<', '>=', '>', '===', '==', '!='];
const METHODS: readonly AggregationMethod[] = ['value', 'count', 'rate', 'avg', 'min', 'med', 'max'];

export const AGGREGATIONS_BY_TYPE: Readonly<Record<MetricType, readonly AggregationMethod[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

function trimSpace(s: string): string {
  return s.replace(/^\s+|\s+$/g, '');
}

export function parseThresholdExpression(input: string): ThresholdExpression {
  let scanned: [string, ThresholdOperator, string] | undefined;
  for (const op of OPERATORS) {
    const at = input.indexOf(op);
    if (at !== -1) {
      scanned = [trimSpace(input.slice(0, at)), op, trimSpace(input.slice(at + op.length))];
      break;
    }
  }
  if (!scanned) {
    throw new ThresholdSyntaxError(
      `failed parsing threshold expression ${JSON.stringify(input)}; reason: malformed threshold expression`,
    );
  }
  const [lhs, operator, rhs] = scanned;

  let method: AggregationMethod;
  let pct: number | undefined;
  if ((METHODS as readonly string[]).includes(lhs)) {
    method = lhs as AggregationMethod;
  } else if (lhs.startsWith('p(') && lhs.endsWith(')') && lhs.length >= 3) {
    pct = parseGoFloat(lhs.slice(2, -1));
    if (pct === undefined || Number.isNaN(pct)) {
      throw new ThresholdSyntaxError(
        `failed parsing threshold expression's ${JSON.stringify(input)} left hand side; reason: malformed percentile value`,
      );
    }
    // k6 does not range-check here and would index out of bounds at evaluation; refuse it up front.
    if (pct < 0 || pct > 100) {
      throw new ThresholdSyntaxError(
        `failed parsing threshold expression's ${JSON.stringify(input)} left hand side; reason: percentile must be between 0 and 100`,
      );
    }
    method = 'p';
  } else {
    throw new ThresholdSyntaxError(
      `failed parsing threshold expression's ${JSON.stringify(input)} left hand side; reason: failed parsing method from expression`,
    );
  }

  const value = parseGoFloat(rhs);
  if (value === undefined) {
    throw new ThresholdSyntaxError(
      `failed parsing threshold expression's ${JSON.stringify(input)} right hand side; reason: invalid number ${JSON.stringify(rhs)}`,
    );
  }
  const expr: ThresholdExpression = { method, operator, value, aggregation: lhs };
  if (pct !== undefined) expr.percentile = pct;
  return expr;
}

/** Go's `%g` for the percentile key: `p(95)`, `p(99.9)`, `p(0)`. */
export function percentileKey(pct: number): string {
  return `p(${formatG(pct)})`;
}

function formatG(v: number): string {
  // %g uses the shortest representation, switching to an exponent for exponents < -4 or >= 21.
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(v);
}

export function compare(lhs: number, op: ThresholdOperator, rhs: number): boolean {
  switch (op) {
    case '>':
      return lhs > rhs;
    case '>=':
      return lhs >= rhs;
    case '<=':
      return lhs <= rhs;
    case '<':
      return lhs < rhs;
    case '==':
    case '===':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
  }
}
