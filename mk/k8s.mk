# Kubernetes: render, apply and check the manifests in k8s/ (see k8s/README.md).
K8S_DIST     ?= dist/k8s
# base = the poll service + monitoring; chaos = base + disruptor RBAC, privileged PodSecurity and k6 runs.
K8S_OVERLAY  ?= base
K8S_NS       ?= poll-app
KUBECTL      ?= kubectl
K8S_MANIFEST  = $(K8S_DIST)/$(if $(filter chaos,$(K8S_OVERLAY)),poll-app-chaos,poll-app).yaml
K8S_TSX       = $(NODE) --import tsx

# Every kubectl target stops here, with what to do, when kubectl is missing.
define require_kubectl
	@command -v $(KUBECTL) >/dev/null 2>&1 || { \
	  echo "$@: '$(KUBECTL)' not found on PATH. Install kubectl (https://kubernetes.io/docs/tasks/tools/) and point it at your cluster (kind, minikube, k3s, ...), or set KUBECTL=/path/to/kubectl." >&2; \
	  exit 127; }
endef

# ...and here when no Kubernetes API answers for the current context.
define require_cluster
	@$(KUBECTL) get --raw /version --request-timeout=5s >/dev/null 2>&1 || { \
	  echo "$@: no Kubernetes API answers for kubectl context '$$($(KUBECTL) config current-context 2>/dev/null || echo none)'. Start your cluster (kind create cluster, minikube start, ...) and run make doctor." >&2; \
	  exit 1; }
endef

k8s-generate: node_modules/.installed ## Regenerate the PrometheusRule and Grafana dashboard in k8s/base from k8s/src/observability
	@$(K8S_TSX) k8s/src/bin/generate.ts

k8s-render: build ## Render and schema-check the base and chaos overlay into dist/k8s/ (no kubectl needed)
	@$(K8S_TSX) k8s/src/bin/generate.ts --check
	@$(K8S_TSX) k8s/src/bin/render.ts $(K8S_DIST)

k8s-apply: k8s-render ## Apply dist/k8s to the current kubectl context (K8S_OVERLAY=base|chaos)
	$(require_kubectl)
	$(require_cluster)
	$(KUBECTL) apply --server-side -f $(K8S_MANIFEST)
	$(KUBECTL) -n $(K8S_NS) rollout status deployment/poll-backend --timeout=180s

k8s-delete: k8s-render ## Delete everything k8s-apply created (K8S_OVERLAY=base|chaos; keeps nothing, including the PVC data)
	$(require_kubectl)
	$(require_cluster)
	$(KUBECTL) delete --ignore-not-found -f $(K8S_MANIFEST)
	$(KUBECTL) -n $(K8S_NS) delete pvc -l app.kubernetes.io/name=postgres --ignore-not-found

k8s-status: ## Show the poll service's workloads, pods, endpoints and chaos runs in the cluster
	$(require_kubectl)
	$(require_cluster)
	$(KUBECTL) -n $(K8S_NS) get deployments,statefulsets,pods,services,endpoints,pdb -o wide
	-$(KUBECTL) -n $(K8S_NS) get servicemonitors,prometheusrules,testruns,jobs 2>/dev/null

doctor: node_modules/.installed ## Check your cluster for what chaos runs need (kubectl, >= 1.23, RBAC, PodSecurity, NodePort) and say what to fix
	@$(K8S_TSX) k8s/src/bin/doctor.ts

.PHONY: k8s-generate k8s-render k8s-apply k8s-delete k8s-status doctor
