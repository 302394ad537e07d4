// Sub-metric selectors: the `{k:v,k2:v2}` part of a threshold key (K:metrics/metric.go AddSubmetric,
// ParseMetricName).
import type { Tags } from './types.ts';

export interface Selector {
  /** The selector text trimmed, otherwise verbatim: the sub-metric is named `parent{suffix}`. */
  suffix: string;
  tags: Tags;
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}


function trimSpace(s: string): string {
  return s.replace(/^\s+|\s+$/g, '');
}

/** k6 trims spaces first and then quotes, so `" a "` keeps its inner spaces. */
function trimKeyOrValue(s: string): string {
  return trimSpace(s).replace(/^["']+|["']+$/g, '');
}

/**
 * Parses the text between the braces. Pairs split on `,`, each pair on its first `:` (so `group:::g` is
 * key `group`, value `::g`); keys and values are trimmed of spaces and then of quotes.
 */
export function parseSelector(text: string): Selector {
  const suffix = trimSpace(text);
  if (suffix === '') throw new SelectorError('sub-metric criteria cannot be empty');
  const tags: Tags = {};
  for (const pair of suffix.split(',')) {
    if (pair === '') continue;
    const colon = pair.indexOf(':');
    if (colon === -1) {
      tags[trimKeyOrValue(pair)] = '';
      continue;
    }
    tags[trimKeyOrValue(pair.slice(0, colon))] = trimKeyOrValue(pair.slice(colon + 1));
  }
  return { suffix, tags };
}

export interface MetricKey {
  metric: string;
  /** Absent for a plain metric name. */
  selector?: Selector;
}

/**
 * Splits a threshold key into metric name and selector, rejecting what k6 rejects with exit 104:
 * unmatched or misplaced braces, and `k:v` pairs without a `:` or with an empty value.
 */
export function parseMetricKey(key: string): MetricKey {
  const open = key.indexOf('{');
  const close = key.lastIndexOf('}');
  if (open === -1 && close === -1) return { metric: key };
  if (open === -1 || close === -1) {
    throw new SelectorError(`metric ${JSON.stringify(key)} has unmatched opening/close curly brace`);
  }
  if (close < open) {
    throw new SelectorError(`metric ${JSON.stringify(key)} closing curly brace appears before opening one`);
  }
  if (close !== key.length - 1) {
    throw new SelectorError(`metric ${JSON.stringify(key)} lacks a closing curly brace in its last position`);
  }
  const inner = key.slice(open + 1, close);
  for (const pair of inner.split(',')) {
    const colon = pair.indexOf(':');
    if (colon === -1 || colon === pair.length - 1) {
      throw new SelectorError(`metric ${JSON.stringify(key)}: tag expression ${JSON.stringify(pair)} is malformed`);
    }
  }
  return { metric: key.slice(0, open), selector: parseSelector(inner) };
}
