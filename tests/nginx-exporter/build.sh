#!/usr/bin/env bash
# Builds NGINX's Prometheus exporter (upstream/: the released 1.5.3 sources, which the Go module proxy does not
# serve) for the test platform and caches the static binary OUTSIDE the repository:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/nginx-exporter-<key>/nginx-prometheus-exporter
#   key = hash(this script, upstream/*)
# Its dependencies come from the Go module proxy, checked against upstream/go.sum. Idempotent: prints the binary's
# path on stdout (last line); everything else goes to stderr. Needs go (>= 1.25).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export PATH="/usr/local/go/bin:$PATH"
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
VERSION=1.5.3
KEY=$(cd "$HERE" && find build.sh upstream -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)
OUT=$CACHE/nginx-exporter-$KEY
if [ -f "$OUT/.complete" ]; then echo "$OUT/nginx-prometheus-exporter"; exit 0; fi
command -v go >/dev/null || { echo "build.sh: go not found (expected /usr/local/go/bin/go)" >&2; exit 1; }
t0=$(date +%s)
rm -rf "$OUT" && mkdir -p "$OUT"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
( cd "$HERE/upstream" && go build -trimpath \
    -ldflags "-s -w -X github.com/prometheus/common/version.Version=$VERSION -X github.com/prometheus/common/version.BuildUser=paas-test" \
    -o "$OUT/nginx-prometheus-exporter" . >&2 )
"$OUT/nginx-prometheus-exporter" --version 2>&1 | sed -n 1p >&2
echo "[build] nginx-prometheus-exporter $VERSION done after $(( $(date +%s) - t0 ))s" >&2
touch "$OUT/.complete"
for old in "$CACHE"/nginx-exporter-*/; do [ "${old%/}" = "$OUT" ] || rm -rf "${old%/}"; done
echo "$OUT/nginx-prometheus-exporter"
