// The shapes the renderer works with: Kubernetes objects as parsed YAML, and the subset of a kustomization
// file it understands.

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface GeneratorArgs {
  name: string;
  namespace?: string;
  literals?: string[];
  files?: string[];
  type?: string;
  options?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface PatchRef {
  path: string;
  target?: { kind?: string; name?: string; namespace?: string };
}

export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  generatorOptions?: { disableNameSuffixHash?: boolean };
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  patches?: PatchRef[];
}

export interface RenderOptions {
  /** Like kustomize's --load-restrictor: 'rootOnly' (default) refuses files outside the kustomization's tree. */
  loadRestrictor?: 'rootOnly' | 'none';
}
