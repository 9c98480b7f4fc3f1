#!/usr/bin/env bash
# Builds metrics-server (the metrics.k8s.io API that `kubectl top` and `paas status` read) from its Go module
# and caches it OUTSIDE the repository under ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/metrics-server-<key>,
# key = hash(this script). Kept apart from build.sh so that this build never invalidates the control-plane
# build. Idempotent: prints two lines on stdout, the binary and the kustomize dir of its manifests (what
# kwokctl's `metricsServerManifests` takes); everything else goes to stderr.
#
# Version: v0.8.0. kwokctl v0.8.0 defaults to v0.8.1, which the Go module proxy does not serve (the module
# has v0.8.0 and v0.9.0); v0.8.0 has the same kubelet `/metrics/resource` scraper and the
# `metrics.k8s.io/resource-metrics-path` node annotation kwok relies on.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export PATH="/usr/local/go/bin:$PATH"
VERSION=v0.8.0
KEY=$(sha256sum < "$HERE/metrics-server.sh" | cut -c1-12)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
BIN=$CACHE/metrics-server-$KEY
command -v go >/dev/null || { echo "metrics-server.sh: go not found (expected /usr/local/go/bin/go)" >&2; exit 1; }
# The module (its go.mod pins its dependencies; the manifests come with it).
DIR=$(GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/metrics-server@$VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[ -d "$DIR/manifests/overlays/release" ] || { echo "metrics-server.sh: module sigs.k8s.io/metrics-server@$VERSION not downloaded" >&2; exit 1; }
if [ ! -f "$BIN/.complete" ]; then
  mkdir -p "$BIN"
  t0=$(date +%s)
  # kwokctl reads the version from `--version`; without the ldflag it is v0.0.0-master.
  ( cd "$DIR" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath \
      -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$VERSION" \
      -o "$BIN/metrics-server" ./cmd/metrics-server >&2 )
  echo "[build] metrics-server $VERSION done after $(( $(date +%s) - t0 ))s" >&2
  "$BIN/metrics-server" --version >&2
  touch "$BIN/.complete"
fi
echo "$BIN/metrics-server"
echo "$DIR/manifests/overlays/release"
