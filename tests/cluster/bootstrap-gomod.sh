#!/usr/bin/env bash
# Regenerates tests/cluster/go.mod + go.sum for the Kubernetes control-plane test binaries.
# Run by hand once per Kubernetes bump; commit go.mod and go.sum afterwards.
#   KUBE_VERSION=v1.36.1 tests/cluster/bootstrap-gomod.sh
set -euo pipefail
cd "$(dirname "$0")"
export PATH="/usr/local/go/bin:$PATH"
KUBE_VERSION=${KUBE_VERSION:-v1.36.1}            # pairs with kwok v0.8.0 (its default KubeVersion is 1.36.1)
STAGING="v0.${KUBE_VERSION#v1.}"                 # v1.36.1 -> v0.36.1
rm -f go.mod go.sum
go mod init paas.invalid/testcluster
go mod edit -go=1.26.0          # do not pin the running patch release; tidy raises it if a dependency needs more
# Read k8s's own go.mod from the module proxy. Every "k8s.io/X => ./staging/src/k8s.io/X" needs a real version.
KGOMOD=$(go mod download -json "k8s.io/kubernetes@${KUBE_VERSION}" | jq -r .GoMod)
for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/src/.*#\1#p' "$KGOMOD"); do
  go mod edit -replace="${m}=${m}@${STAGING}"
done
go mod edit -require="k8s.io/kubernetes@${KUBE_VERSION}"
for c in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy; do
  go mod edit -tool="k8s.io/kubernetes/cmd/${c}"
done
go mod tidy
# etcd server: the same release as the etcd client that this k8s version pins.
ETCD_VERSION=$(go list -m -f '{{.Version}}' go.etcd.io/etcd/client/v3)
go get "go.etcd.io/etcd/server/v3@${ETCD_VERSION}"
go mod edit -tool=go.etcd.io/etcd/server/v3
go mod tidy
go list -m k8s.io/kubernetes k8s.io/api go.etcd.io/etcd/server/v3 go.etcd.io/etcd/client/v3
