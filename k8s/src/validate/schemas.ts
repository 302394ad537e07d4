// Validates rendered objects offline: built-in kinds and prometheus-operator CRDs against the schemas shipped in
// the kubernetes-models packages, the k6-operator TestRun against our JSON schema (ajv) plus the Kubernetes
// schemas for the pod fields it embeds.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { ConfigMap, EnvVar, Namespace, PodSecurityContext, ResourceRequirements, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { KObject } from '../kustomize/types.ts';

/** A kubernetes-models class: constructing one from data and calling validate() throws on schema errors. */
interface ModelClass {
  new (data: never): { validate(): void };
}

const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

const testRunSchema: unknown = JSON.parse(readFileSync(new URL('./testrun.schema.json', import.meta.url), 'utf8'));
const validateTestRunShape = new Ajv({ allErrors: true, strict: true }).compile(testRunSchema as object);

const check = (Model: ModelClass, data: unknown, where: string): string[] => {
  try {
    new Model(data as never).validate();
    return [];
  } catch (e) {
    return [`${where}: ${e instanceof Error ? e.message : String(e)}`];
  }
};

interface TestRunPod {
  env?: unknown[];
  resources?: unknown;
  securityContext?: unknown;
}

const validateTestRun = (o: KObject): string[] => {
  const shapeOk: boolean = validateTestRunShape(o as unknown);
  if (!shapeOk) {
    return (validateTestRunShape.errors ?? []).map((e) => `TestRun ${o.metadata.name}${e.instancePath}: ${e.message ?? e.keyword}`);
  }
  const spec = o.spec as { runner?: TestRunPod; starter?: TestRunPod; initializer?: TestRunPod };
  return (['runner', 'starter', 'initializer'] as const).flatMap((role) => {
    const pod = spec[role];
    if (!pod) return [];
    const where = `TestRun ${o.metadata.name} spec.${role}`;
    return [
      ...(pod.env ?? []).flatMap((e, i) => check(EnvVar, e, `${where}.env[${i}]`)),
      ...(pod.resources ? check(ResourceRequirements, pod.resources, `${where}.resources`) : []),
      ...(pod.securityContext ? check(PodSecurityContext, pod.securityContext, `${where}.securityContext`) : []),
    ];
  });
};

/** Schema errors of one object; an object of a kind we hold no schema for is itself an error. */
export const validateObject = (o: KObject): string[] => {
  const id = `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  if (o.apiVersion === 'k6.io/v1alpha1' && o.kind === 'TestRun') return validateTestRun(o);
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!Model) return [`${id}: no schema for ${o.apiVersion} ${o.kind}`];
  return check(Model, o, id);
};

export const SUPPORTED_KINDS = [...Object.keys(MODELS), 'k6.io/v1alpha1/TestRun'];
