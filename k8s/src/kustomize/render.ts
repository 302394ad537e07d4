// A renderer for exactly the kustomize features this repository uses, so `make k8s-render` and the tests work
// without a kustomize binary. Anything else in a kustomization fails loudly instead of rendering differently.
// Where kubectl is installed, a test checks that `kubectl kustomize` renders the same objects.
//
// Supported: resources (files and directories with a kustomization), configMapGenerator and secretGenerator
// (literals, files, options.labels/annotations, namespace, type) with generatorOptions.disableNameSuffixHash:
// true, and patches whose file is a map-only strategic merge patch (for maps that is the same as a JSON merge
// patch; list merging is kustomize-specific and refused).
import { readFileSync, statSync, existsSync } from 'node:fs';
import { basename, join, relative, resolve, isAbsolute } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import type { GeneratorArgs, KObject, Kustomization, PatchRef, RenderOptions } from './types.ts';

export class KustomizeError extends Error {}

const KNOWN_KEYS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'generatorOptions',
  'configMapGenerator',
  'secretGenerator',
  'patches',
]);

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const objectId = (o: KObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

const kustomizationFile = (dir: string): string => {
  const found = KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!found) throw new KustomizeError(`${dir}: no kustomization.yaml`);
  return found;
};

const readKustomization = (dir: string): Kustomization => {
  const file = kustomizationFile(dir);
  const k: unknown = parse(readFileSync(file, 'utf8'));
  if (!isMap(k)) throw new KustomizeError(`${file}: not a mapping`);
  const unknown = Object.keys(k).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    throw new KustomizeError(`${file}: unsupported kustomize field(s) ${unknown.join(', ')} (see k8s/src/kustomize/render.ts)`);
  }
  return k as Kustomization;
};

const asObject = (doc: unknown, where: string): KObject => {
  if (!isMap(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
    throw new KustomizeError(`${where}: every document needs apiVersion and kind`);
  }
  const metadata = doc.metadata;
  if (!isMap(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
    throw new KustomizeError(`${where}: ${doc.kind} without metadata.name`);
  }
  return doc as KObject;
};

/** Parses a multi-document YAML file into objects, skipping empty documents (as kustomize does). */
export const parseObjects = (text: string, where: string): KObject[] =>
  parseAllDocuments(text).flatMap((d) => {
    if (d.errors.length > 0) throw new KustomizeError(`${where}: ${d.errors[0]!.message}`);
    const value: unknown = d.toJS();
    return value === null || value === undefined ? [] : [asObject(value, where)];
  });

class Loader {
  constructor(private readonly options: RenderOptions) {}

  /**
   * Resolves a path from the kustomization in `dir`. Like kustomize's default load restrictor, files must lie
   * inside that kustomization's directory; other kustomization directories (a base) may be anywhere.
   */
  path(dir: string, p: string): string {
    const full = resolve(dir, p);
    const rel = relative(dir, full);
    const outside = rel.startsWith('..') || isAbsolute(rel);
    const isKustomizationDir = existsSync(full) && statSync(full).isDirectory();
    if (outside && !isKustomizationDir && this.options.loadRestrictor !== 'none') {
      throw new KustomizeError(
        `${p}: outside the kustomization root ${dir} (kustomize refuses this too; pass --load-restrictor LoadRestrictionsNone)`,
      );
    }
    if (!existsSync(full)) throw new KustomizeError(`${join(relative(process.cwd(), dir), p)}: no such file or directory`);
    return full;
  }
}

const splitOnce = (s: string, where: string): [string, string] => {
  const i = s.indexOf('=');
  if (i <= 0) throw new KustomizeError(`${where}: expected KEY=VALUE, got "${s}"`);
  return [s.slice(0, i), s.slice(i + 1)];
};

const generatorData = (g: GeneratorArgs, dir: string, loader: Loader): Record<string, string> => {
  const data: Record<string, string> = {};
  const put = (key: string, value: string) => {
    if (key in data) throw new KustomizeError(`${g.name}: key ${key} appears twice`);
    data[key] = value;
  };
  for (const literal of g.literals ?? []) put(...splitOnce(literal, g.name));
  for (const file of g.files ?? []) {
    const [key, path] = file.includes('=') ? splitOnce(file, g.name) : [basename(file), file];
    put(key, readFileSync(loader.path(dir, path), 'utf8'));
  }
  return data;
};

const generate = (kind: 'ConfigMap' | 'Secret', g: GeneratorArgs, dir: string, loader: Loader): KObject => {
  const metadata: KObject['metadata'] = { name: g.name };
  if (g.namespace) metadata.namespace = g.namespace;
  if (g.options?.labels) metadata.labels = { ...g.options.labels };
  if (g.options?.annotations) metadata.annotations = { ...g.options.annotations };
  const data = generatorData(g, dir, loader);
  if (kind === 'ConfigMap') return { apiVersion: 'v1', kind, metadata, data };
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { apiVersion: 'v1', kind, metadata, type: g.type ?? 'Opaque', data: encoded };
};

/** RFC 7386 merge; lists are refused because strategic merge would treat them differently. */
const mergePatch = (target: unknown, patch: unknown, where: string): unknown => {
  if (Array.isArray(patch)) throw new KustomizeError(`${where}: patches with lists are not supported by this renderer`);
  if (!isMap(patch)) return patch;
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value, `${where}.${key}`);
  }
  return out;
};

const applyPatch = (objects: KObject[], ref: PatchRef, dir: string, loader: Loader): KObject[] => {
  const file = loader.path(dir, ref.path);
  const patches = parseObjects(readFileSync(file, 'utf8'), file);
  if (patches.length !== 1) throw new KustomizeError(`${file}: a patch file holds exactly one object`);
  const patch = patches[0]!;
  const target = ref.target ?? { kind: patch.kind, name: patch.metadata.name };
  const matches = (o: KObject) =>
    (!target.kind || o.kind === target.kind) &&
    (!target.name || o.metadata.name === target.name) &&
    (!target.namespace || o.metadata.namespace === target.namespace);
  if (!objects.some(matches)) throw new KustomizeError(`${file}: patch matches no object`);
  return objects.map((o) => {
    if (!matches(o)) return o;
    const { apiVersion: _a, kind: _k, ...rest } = patch;
    const { name: _n, namespace: _ns, ...metaRest } = rest.metadata;
    return mergePatch(o, { ...rest, metadata: metaRest }, file) as KObject;
  });
};

const renderDir = (dir: string, loader: Loader): KObject[] => {
  const k = readKustomization(dir);
  if ((k.configMapGenerator?.length || k.secretGenerator?.length) && k.generatorOptions?.disableNameSuffixHash !== true) {
    throw new KustomizeError(`${dir}: generators need generatorOptions.disableNameSuffixHash: true (name hashes are not implemented)`);
  }
  let objects: KObject[] = [];
  for (const r of k.resources ?? []) {
    const full = loader.path(dir, r);
    objects.push(...(statSync(full).isDirectory() ? renderDir(full, loader) : parseObjects(readFileSync(full, 'utf8'), full)));
  }
  for (const g of k.configMapGenerator ?? []) objects.push(generate('ConfigMap', g, dir, loader));
  for (const g of k.secretGenerator ?? []) objects.push(generate('Secret', g, dir, loader));
  for (const p of k.patches ?? []) objects = applyPatch(objects, p, dir, loader);
  const seen = new Set<string>();
  for (const o of objects) {
    const id = objectId(o);
    if (seen.has(id)) throw new KustomizeError(`${dir}: ${id} is defined twice`);
    seen.add(id);
  }
  return objects;
};

// kustomize's default ("legacy") output order: what must exist first (namespaces, RBAC, config) comes first.
const ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy',
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service',
  'LimitRange', 'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet',
  'CronJob', 'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

const rank = (kind: string): number => {
  const first = ORDER_FIRST.indexOf(kind);
  if (first >= 0) return first;
  const last = ORDER_LAST.indexOf(kind);
  return last >= 0 ? ORDER_FIRST.length + 1 + last : ORDER_FIRST.length;
};

const sortKey = (o: KObject): string => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Renders the kustomization in `dir` to objects in kustomize's output order. */
export const render = (dir: string, options: RenderOptions = {}): KObject[] => {
  const root = resolve(dir);
  kustomizationFile(root);
  return renderDir(root, new Loader(options)).sort(
    (a, b) => rank(a.kind) - rank(b.kind) || sortKey(a).localeCompare(sortKey(b)),
  );
};
