#!/usr/bin/env bash
# Builds what the test platform's real node runs, from Go modules, and caches it OUTSIDE the repository
# under ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/node-<key>, key = hash(this script + go.sum + the CoreDNS
# module's go.sum + its main.go):
#   kubelet, kube-proxy            k8s.io/kubernetes, the control plane's version (tests/cluster/go.mod tools)
#   containerd, the runc shim, ctr github.com/containerd/containerd/v2 (runc itself is Debian's)
#   CNI plugins                    bridge, host-local, loopback, portmap (github.com/containernetworking/plugins)
#   kube-router                    its NetworkPolicy firewall only (iptables + ipset; this kernel has no nft queue)
#   coredns                        cluster DNS, with only the plugins tests/cluster/coredns.yaml uses
#   pause                          the sandbox binary, from the kubernetes module's build/pause/linux/pause.c
# Idempotent: prints the dir on stdout (last line); everything else goes to stderr. Kept apart from
# build.sh so that a change here never rebuilds the control plane.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export PATH="/usr/local/go/bin:$PATH"
CONTAINERD_VERSION=v2.4.2
CNI_VERSION=v1.10.0
KUBE_ROUTER_VERSION=v2.1.0        # the only v2 release the Go module proxy serves
KEY=$(cat "$HERE/node-build.sh" "$HERE/go.sum" "$HERE/coredns/go.sum" "$HERE/coredns/main.go" | sha256sum | cut -c1-12)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
OUT=${PAAS_TEST_NODE_BIN:-$CACHE/node-$KEY}
if [ -f "$OUT/.complete" ]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "node-build.sh: go not found (expected /usr/local/go/bin/go)" >&2; exit 1; }
command -v gcc >/dev/null || { echo "node-build.sh: gcc not found (it builds the pause binary)" >&2; exit 1; }
mkdir -p "$OUT/bin" "$OUT/cni"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
t0=$(date +%s)
step() { echo "[build] $1 done after $(( $(date +%s) - t0 ))s" >&2; }

# kubelet and kube-proxy: the same module graph and ldflags as build.sh's control plane.
KUBE_VERSION=$(cd "$HERE" && go list -m -f '{{.Version}}' k8s.io/kubernetes)
minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
VPKG=k8s.io/component-base/version CPKG=k8s.io/client-go/pkg/version
LDF="-s -w -X $VPKG.gitVersion=$KUBE_VERSION -X $VPKG.gitMajor=1 -X $VPKG.gitMinor=$minor -X $VPKG.gitTreeState=clean"
LDF="$LDF -X $CPKG.gitVersion=$KUBE_VERSION -X $CPKG.gitMajor=1 -X $CPKG.gitMinor=$minor -X $CPKG.gitTreeState=clean"
( cd "$HERE" && go build -trimpath -ldflags "$LDF" -o "$OUT/bin/" k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy >&2 )
step "kubelet, kube-proxy $KUBE_VERSION"

# pause: kubernetes' own C source, from the module the control plane already downloaded.
KDIR=$(cd "$HERE" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)
PAUSE_VERSION=v3.10.2
gcc -Os -static -Wall -DVERSION="$PAUSE_VERSION" -o "$OUT/bin/pause" "$KDIR/build/pause/linux/pause.c" >&2
echo "$PAUSE_VERSION" > "$OUT/pause.version"
step "pause $PAUSE_VERSION"

# containerd, its runc shim and ctr: their own module graph (`go install pkg@version`).
GOBIN="$OUT/bin" go install -trimpath \
  -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION" \
  "github.com/containerd/containerd/v2/cmd/containerd@$CONTAINERD_VERSION" \
  "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2@$CONTAINERD_VERSION" \
  "github.com/containerd/containerd/v2/cmd/ctr@$CONTAINERD_VERSION" >&2
step "containerd $CONTAINERD_VERSION"

GOBIN="$OUT/cni" go install -trimpath -ldflags "-s -w" \
  "github.com/containernetworking/plugins/plugins/main/bridge@$CNI_VERSION" \
  "github.com/containernetworking/plugins/plugins/main/loopback@$CNI_VERSION" \
  "github.com/containernetworking/plugins/plugins/ipam/host-local@$CNI_VERSION" \
  "github.com/containernetworking/plugins/plugins/meta/portmap@$CNI_VERSION" >&2
step "CNI plugins $CNI_VERSION"

GOBIN="$OUT/bin" go install -trimpath \
  -ldflags "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$KUBE_ROUTER_VERSION" \
  "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@$KUBE_ROUTER_VERSION" >&2
step "kube-router $KUBE_ROUTER_VERSION"

COREDNS_VERSION=$(cd "$HERE/coredns" && go list -m -f '{{.Version}}' github.com/coredns/coredns)
( cd "$HERE/coredns" && go build -trimpath \
    -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" -o "$OUT/bin/coredns" . >&2 )
echo "$COREDNS_VERSION" > "$OUT/coredns.version"
step "coredns $COREDNS_VERSION"

"$OUT/bin/kubelet" --version >&2; "$OUT/bin/containerd" --version >&2; "$OUT/bin/coredns" -version >&2
echo "$(( $(date +%s) - t0 ))" > "$OUT/.build-seconds"
touch "$OUT/.complete"
# builds of older inputs (the Go caches keep what a rebuild of them would need)
if [ -z "${PAAS_TEST_NODE_BIN:-}" ]; then
  for old in "$CACHE"/node-*/; do [ "${old%/}" = "$OUT" ] || rm -rf "${old%/}"; done
fi
echo "$OUT"
