#!/usr/bin/env bash
# Builds the control-plane test binaries (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
# etcd, kwok, kwokctl) from the Go modules pinned in go.mod/go.sum and caches them OUTSIDE the repository
# under ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/cluster-<key>, key = hash(go.sum + this script).
# Idempotent: prints the bin dir on stdout (last line); everything else goes to stderr.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export PATH="/usr/local/go/bin:$PATH"
KWOK_VERSION=v0.8.0
KEY=$(cat "$HERE/go.sum" "$HERE/build.sh" | sha256sum | cut -c1-12)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
BIN=${PAAS_TEST_CLUSTER_BIN:-$CACHE/cluster-$KEY}
if [ -f "$BIN/.complete" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "build.sh: go not found (expected /usr/local/go/bin/go)" >&2; exit 1; }
KUBE_VERSION=$(cd "$HERE" && go list -m -f '{{.Version}}' k8s.io/kubernetes)
ETCD_VERSION=$(cd "$HERE" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
mkdir -p "$BIN"
minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
VPKG=k8s.io/component-base/version CPKG=k8s.io/client-go/pkg/version
LDF="-s -w -X $VPKG.gitVersion=$KUBE_VERSION -X $VPKG.gitMajor=1 -X $VPKG.gitMinor=$minor -X $VPKG.gitTreeState=clean"
LDF="$LDF -X $CPKG.gitVersion=$KUBE_VERSION -X $CPKG.gitMajor=1 -X $CPKG.gitMinor=$minor -X $CPKG.gitTreeState=clean"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
t0=$(date +%s)
( cd "$HERE"
  go build -trimpath -ldflags "$LDF" -o "$BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl >&2
  echo "[build] kubernetes $KUBE_VERSION done after $(( $(date +%s) - t0 ))s" >&2
  go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=paas-test" -o "$BIN/etcd" go.etcd.io/etcd/server/v3 >&2
  echo "[build] etcd $ETCD_VERSION done after $(( $(date +%s) - t0 ))s" >&2 )
# kwok has its own module graph; `go install pkg@version` uses kwok's go.mod (no replace lines in it).
GOBIN="$BIN" go install -trimpath -ldflags "-s -w" \
  "sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}" "sigs.k8s.io/kwok/cmd/kwokctl@${KWOK_VERSION}" >&2
echo "[build] kwok $KWOK_VERSION done after $(( $(date +%s) - t0 ))s" >&2
"$BIN/kube-apiserver" --version >&2; "$BIN/etcd" --version >&2; "$BIN/kwokctl" --version >&2
echo "$(( $(date +%s) - t0 ))" > "$BIN/.build-seconds"
touch "$BIN/.complete"
echo "$BIN"
