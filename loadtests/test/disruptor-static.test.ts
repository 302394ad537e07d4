// Static check of the cluster bundles: they import `k6/x/disruptor` and pass xk6-disruptor v0.3.17 only fields
// it accepts, with Go duration strings. The local bundles must not import it at all (they run on stock k6).
// k6 with the disruptor cannot run here, so the bundles' syntax trees are checked instead.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');
const DISRUPTOR = 'k6/x/disruptor';

/** What xk6-disruptor v0.3.17 accepts (pkg/disruptors: HTTPFault, PodTerminationFault, options structs). */
const ACCEPTED = {
  constructorOptions: new Set(['injectTimeout']),
  httpFault: new Set(['averageDelay', 'delayVariation', 'errorRate', 'errorCode', 'errorBody', 'exclude', 'port']),
  httpOptions: new Set(['proxyPort']),
  podTermination: new Set(['count', 'timeout']),
  durations: new Set(['averageDelay', 'delayVariation', 'injectTimeout', 'timeout']),
};
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** Keys of an object literal, following spreads of `cond ? {...} : {...}`; problems for anything opaque. */
function literalKeys(node: ts.Expression, where: string, problems: string[]): Map<string, ts.Expression> {
  const keys = new Map<string, ts.Expression>();
  const visit = (n: ts.Expression) => {
    while (ts.isParenthesizedExpression(n)) n = n.expression;
    if (ts.isConditionalExpression(n)) {
      visit(n.whenTrue);
      visit(n.whenFalse);
    } else if (ts.isObjectLiteralExpression(n)) {
      for (const p of n.properties) {
        if (ts.isSpreadAssignment(p)) visit(p.expression);
        else if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && !ts.isComputedPropertyName(p.name)) {
          keys.set(p.name.text, ts.isPropertyAssignment(p) ? p.initializer : p.name);
        } else problems.push(`${where}: a computed or method property cannot be checked`);
      }
    } else problems.push(`${where}: argument is not an object literal, so its fields cannot be checked`);
  };
  visit(node);
  return keys;
}

/** A duration argument must be a string literal or template that reads as a Go duration. */
function checkDuration(node: ts.Expression, where: string, problems: string[]): void {
  let text: string | undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
  else if (ts.isTemplateExpression(node)) text = node.head.text + node.templateSpans.map((s) => `1${s.literal.text}`).join('');
  if (text === undefined || !GO_DURATION.test(text)) problems.push(`${where}: ${node.getText()} is not a Go duration string`);
}

function checkFields(node: ts.Expression | undefined, allowed: Set<string>, where: string, problems: string[], required = true) {
  if (!node) {
    if (required) problems.push(`${where}: missing argument`);
    return;
  }
  for (const [key, value] of literalKeys(node, where, problems)) {
    if (!allowed.has(key)) problems.push(`${where}: field "${key}" is not accepted by xk6-disruptor v0.3.17`);
    else if (ACCEPTED.durations.has(key)) checkDuration(value, `${where}.${key}`, problems);
  }
}

export function checkDisruptorUse(source: string, file: string): { imports: string[]; problems: string[]; calls: number } {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const problems: string[] = [];
  const imports: string[] = [];
  let calls = 0;
  const visit = (n: ts.Node) => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && n.moduleSpecifier.text === DISRUPTOR) {
      const named = n.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) for (const e of named.elements) imports.push((e.propertyName ?? e.name).text);
      else problems.push(`${file}: import of ${DISRUPTOR} must name its exports`);
    }
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && /Disruptor$/.test(n.expression.text)) {
      calls++;
      checkFields(n.arguments?.[2], ACCEPTED.constructorOptions, `${file}: new ${n.expression.text} options`, problems, false);
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = n.expression.name.text;
      const where = `${file}: ${method}()`;
      if (method === 'injectHTTPFaults') {
        calls++;
        checkFields(n.arguments[0], ACCEPTED.httpFault, `${where} fault`, problems);
        if (n.arguments[1]) checkDuration(n.arguments[1], `${where} duration`, problems);
        else problems.push(`${where}: missing duration`);
        checkFields(n.arguments[2], ACCEPTED.httpOptions, `${where} options`, problems, false);
      } else if (method === 'terminatePods') {
        calls++;
        checkFields(n.arguments[0], ACCEPTED.podTermination, `${where} fault`, problems);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { imports, problems, calls };
}

const bundles = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({ name: `${dir}/${f}`, source: readFileSync(join(root, dir, f), 'utf8') }));

before(() => {
  execFileSync(process.execPath, ['build.mjs', '--quiet'], { cwd: root, stdio: 'inherit' });
});

test('every chaos scenario has a cluster bundle that imports k6/x/disruptor with only v0.3.17 fields', () => {
  const cluster = bundles('dist/cluster');
  assert.deepEqual(cluster.map((b) => b.name).sort(), [
    'dist/cluster/errors.js',
    'dist/cluster/latency.js',
    'dist/cluster/pod-kill.js',
    'dist/cluster/scale-down.js',
  ]);
  for (const b of cluster) {
    const r = checkDisruptorUse(b.source, b.name);
    assert.deepEqual(r.imports, ['ServiceDisruptor'], `${b.name} imports`);
    assert.deepEqual(r.problems, [], b.name);
    // new ServiceDisruptor + injectHTTPFaults + terminatePods, all in the one injector module.
    assert.equal(r.calls, 3, `${b.name} disruptor calls`);
    assert.doesNotMatch(b.source, /\/admin\/chaos/, `${b.name} must not carry the local injector`);
  }
});

test('local bundles never import the disruptor (they run on stock k6 and on the runner)', () => {
  const local = bundles('dist').filter((b) => !b.name.includes('/backend/') && !b.name.includes('/runner/'));
  assert.ok(local.length >= 8, `found ${local.length} local scenario bundles`);
  for (const b of local) {
    assert.doesNotMatch(b.source, /k6\/x\/disruptor/, b.name);
    for (const m of b.source.matchAll(/^import .* from "([^"]+)";$/gm)) assert.match(m[1] as string, /^k6(\/(http|metrics|execution))?$/, `${b.name}: ${m[0]}`);
  }
});

test('the check catches a field v0.3.17 does not accept and a non-Go duration (negative control)', () => {
  const bad = `
    import { ServiceDisruptor } from "k6/x/disruptor";
    const d = new ServiceDisruptor("svc", "ns", { injectTimeout: 30, namespaceSelector: "x" });
    d.injectHTTPFaults({ averageDelay: "500", errorRate: 0.1, statusCode: 500 }, 30);
    d.terminatePods({ count: 1, gracePeriod: "5s" });
    const f = { errorRate: 1 };
    d.injectHTTPFaults(f, "1m");`;
  const r = checkDisruptorUse(bad, 'bad.js');
  assert.deepEqual(r.problems, [
    'bad.js: new ServiceDisruptor options.injectTimeout: 30 is not a Go duration string',
    'bad.js: new ServiceDisruptor options: field "namespaceSelector" is not accepted by xk6-disruptor v0.3.17',
    'bad.js: injectHTTPFaults() fault.averageDelay: "500" is not a Go duration string',
    'bad.js: injectHTTPFaults() fault: field "statusCode" is not accepted by xk6-disruptor v0.3.17',
    'bad.js: injectHTTPFaults() duration: 30 is not a Go duration string',
    'bad.js: terminatePods() fault: field "gracePeriod" is not accepted by xk6-disruptor v0.3.17',
    'bad.js: injectHTTPFaults() fault: argument is not an object literal, so its fields cannot be checked',
  ]);
});
