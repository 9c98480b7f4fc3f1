#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter the `paas ci github` tests run on each generated workflow)
# from its Go module and caches the binary OUTSIDE the repository, keyed by version:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/actionlint-<version>/actionlint
# Its sources and dependencies come from the Go module proxy, checked against the Go checksum database. Idempotent:
# prints the binary's path on stdout (last line); everything else goes to stderr. Needs go (>= 1.24).
set -euo pipefail
export PATH="/usr/local/go/bin:$PATH"
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
VERSION=1.7.12
OUT=$CACHE/actionlint-$VERSION
if [ -f "$OUT/.complete" ]; then echo "$OUT/actionlint"; exit 0; fi
command -v go >/dev/null || { echo "actionlint.sh: go not found (expected /usr/local/go/bin/go)" >&2; exit 1; }
t0=$(date +%s)
rm -rf "$OUT" && mkdir -p "$OUT"
( cd /tmp && CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$OUT" \
    go install -trimpath -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@v$VERSION" >&2 )
"$OUT/actionlint" -version 2>&1 | sed -n 1p >&2
echo "[build] actionlint $VERSION done after $(( $(date +%s) - t0 ))s" >&2
touch "$OUT/.complete"
echo "$OUT/actionlint"
