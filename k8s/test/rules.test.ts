// The generated PrometheusRule: committed files match the typed source, promtool accepts the rules, and
// promtool's unit tests (rules.test.yaml) show which alerts fire on synthetic series and when.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generatedFiles, ruleFileYaml, prometheusRule } from '../src/observability/generated.ts';
import { RULE_GROUPS, isAlert } from '../src/observability/rules.ts';
import { K8S_DIR, run, tempDir } from './helpers.ts';

const tmp = tempDir('rules');
after(() => tmp.remove());
const rulesPath = join(tmp.path, 'rules.yaml');
writeFileSync(rulesPath, ruleFileYaml());

describe('generated monitoring files', () => {
  test('the committed files equal what k8s/src/observability generates (run make k8s-generate if not)', () => {
    for (const [rel, content] of Object.entries(generatedFiles())) {
      assert.equal(readFileSync(join(K8S_DIR, 'base', rel), 'utf8'), content, `k8s/base/${rel} is stale`);
    }
  });

  test('the PrometheusRule carries exactly the rule file groups', () => {
    const manifest = parse(readFileSync(join(K8S_DIR, 'base', 'monitoring', 'prometheus-rule.yaml'), 'utf8'));
    assert.deepEqual(manifest.spec, parse(ruleFileYaml()));
    assert.deepEqual(manifest, JSON.parse(JSON.stringify(prometheusRule())));
  });

  test('every alert has a severity, summary and description; rule names are unique', () => {
    const rules = RULE_GROUPS.flatMap((g) => g.rules);
    const names = rules.map((r) => (isAlert(r) ? r.alert : `${r.record}${JSON.stringify(r.labels ?? {})}`));
    assert.equal(new Set(names).size, names.length);
    for (const r of rules.filter(isAlert)) {
      assert.match(r.labels.severity, /^(critical|warning|info)$/);
      assert.ok(r.annotations.summary.length > 10 && r.annotations.description.length > 10, r.alert);
    }
  });
});

describe('promtool', () => {
  test('check rules accepts every rule', () => {
    const res = run('promtool', ['check', 'rules', rulesPath]);
    assert.equal(res.status, 0, res.stdout + res.stderr);
    const count = RULE_GROUPS.reduce((n, g) => n + g.rules.length, 0);
    assert.match(res.stdout, new RegExp(`SUCCESS: ${count} rules found`));
  });

  test('check rules rejects a broken expression (the check can fail)', () => {
    const broken = join(tmp.path, 'broken.yaml');
    writeFileSync(broken, ruleFileYaml().replace('sum by (namespace, route) (rate(', 'sum by (namespace, route) (rate(('));
    const res = run('promtool', ['check', 'rules', broken]);
    assert.notEqual(res.status, 0);
    assert.match(res.stdout + res.stderr, /parse error|FAILED/);
  });

  test('unit tests: error spike pages, blip does not, restart loop fires, latency burns, slow burn tickets', () => {
    copyFileSync(join(K8S_DIR, 'test', 'rules.test.yaml'), join(tmp.path, 'rules.test.yaml'));
    const res = run('promtool', ['test', 'rules', 'rules.test.yaml'], { cwd: tmp.path });
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /SUCCESS/);
  });

  test('unit tests fail when an alert threshold is wrong (the tests can fail)', () => {
    const dir = tempDir('rules-mutant');
    try {
      writeFileSync(join(dir.path, 'rules.yaml'), ruleFileYaml().replaceAll('(14.4 * 0.001)', '(0.5 * 0.001)'));
      copyFileSync(join(K8S_DIR, 'test', 'rules.test.yaml'), join(dir.path, 'rules.test.yaml'));
      const res = run('promtool', ['test', 'rules', 'rules.test.yaml'], { cwd: dir.path });
      assert.notEqual(res.status, 0);
      assert.match(res.stdout + res.stderr, /a brief blip does not page/);
    } finally {
      dir.remove();
    }
  });
});
