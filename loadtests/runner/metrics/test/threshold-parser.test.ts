import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGoDuration, parseGoDurationNs } from '../duration.ts';
import { parseGoFloat } from '../go-float.ts';
import { parseThresholdExpression, percentileKey, ThresholdSyntaxError } from '../threshold-parser.ts';

describe('parseThresholdExpression', () => {
  it('parses each operator, trying <= before <, >= before >, === before ==', () => {
    const ops = (src: string) => parseThresholdExpression(src).operator;
    assert.equal(ops('p(95)<=200'), '<=');
    assert.equal(ops('p(95)<200'), '<');
    assert.equal(ops('avg>=1'), '>=');
    assert.equal(ops('avg>1'), '>');
    assert.equal(ops('count===3'), '===');
    assert.equal(ops('count==3'), '==');
    assert.equal(ops('rate!=0'), '!=');
    assert.deepEqual(parseThresholdExpression('count===3').value, 3, '=== leaves no stray "=" on the right');
  });
  it('trims spaces around both sides', () => {
    const e = parseThresholdExpression('  p(99.9)   <   250.5 ');
    assert.deepEqual(e, { method: 'p', percentile: 99.9, operator: '<', value: 250.5, aggregation: 'p(99.9)' });
    assert.deepEqual(parseThresholdExpression('rate < 0.01'), {
      method: 'rate',
      operator: '<',
      value: 0.01,
      aggregation: 'rate',
    });
  });
  it('accepts every aggregation keyword', () => {
    for (const m of ['value', 'count', 'rate', 'avg', 'min', 'med', 'max']) {
      assert.equal(parseThresholdExpression(`${m}>0`).method, m);
    }
    assert.equal(parseThresholdExpression('p(0)<1').percentile, 0);
    assert.equal(parseThresholdExpression('p(100)<1').percentile, 100);
  });
  it('accepts Go float spellings on the right: exponents, signs', () => {
    assert.equal(parseThresholdExpression('avg<1e3').value, 1000);
    assert.equal(parseThresholdExpression('avg>-2.5').value, -2.5);
    assert.equal(parseThresholdExpression('avg<.5').value, 0.5);
  });
  it('rejects malformed expressions', () => {
    for (const bad of [
      'p(95)',
      'p95<200',
      'p(95<200',
      'P(95)<200',
      'p( 95 )<200',
      'p(abc)<1',
      'p(101)<1',
      'avg<',
      'avg<abc',
      'avg<1ms',
      'mean<1',
      '<1',
      '',
    ]) {
      assert.throws(() => parseThresholdExpression(bad), ThresholdSyntaxError, bad);
    }
  });
  it('formats percentile keys as Go %g', () => {
    assert.equal(percentileKey(95), 'p(95)');
    assert.equal(percentileKey(99.9), 'p(99.9)');
    assert.equal(percentileKey(0), 'p(0)');
  });
});

describe('Go number and duration spellings', () => {
  it('parseGoFloat follows strconv.ParseFloat, not Number()', () => {
    assert.equal(parseGoFloat(''), undefined);
    assert.equal(parseGoFloat(' 1'), undefined);
    assert.equal(parseGoFloat('0x10'), undefined);
    assert.equal(parseGoFloat('1.'), 1);
    assert.equal(parseGoFloat('+Inf'), Infinity);
    assert.equal(parseGoFloat('-infinity'), -Infinity);
    assert.ok(Number.isNaN(parseGoFloat('NaN')));
  });
  it('parses Go durations with k6 days, and prints them like time.Duration.String()', () => {
    assert.equal(parseGoDurationNs('10s'), 10e9);
    assert.equal(parseGoDurationNs('1m30s'), 90e9);
    assert.equal(parseGoDurationNs('1.5s'), 1.5e9);
    assert.equal(parseGoDurationNs('250ms'), 250e6);
    assert.equal(parseGoDurationNs('1d'), 86400e9);
    assert.equal(parseGoDurationNs('0'), 0);
    assert.equal(parseGoDurationNs('10'), undefined);
    assert.equal(parseGoDurationNs('1x'), undefined);
    assert.equal(formatGoDuration(10e9), '10s');
    assert.equal(formatGoDuration(90e9), '1m30s');
    assert.equal(formatGoDuration(3600e9), '1h0m0s');
    assert.equal(formatGoDuration(1.5e9), '1.5s');
    assert.equal(formatGoDuration(250e6), '250ms');
    assert.equal(formatGoDuration(1500), '1.5µs');
    assert.equal(formatGoDuration(0), '0s');
  });
});
