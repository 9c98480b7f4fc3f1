#!/usr/bin/env bash
# Builds what the test platform's mongo stand-in images add (tests/platform/images.sh) and caches it OUTSIDE the
# repository, under ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/:
#   build.sh go       mongo-go-<key>/bin: ferretdb (FerretDB, the version go.mod names, built from its module with
#                     its own go.sum; the module's zip is checked against this folder's go.sum), mongodump and
#                     mongorestore (tools/, a stand-in for MongoDB's Database Tools, which the Go module proxy
#                     does not serve); key = hash(this script, go.mod, go.sum, tools/*.go)
#   build.sh mongosh  mongosh-<key>/node_modules: `npm ci` of mongosh/package-lock.json: the real mongosh from the npm
#                     registry, for Debian bookworm's nodejs 18. mongosh 2.5.0 is the last whose own packages
#                     still run on Node 18 (2.5.6 on need @mongodb-js/oidc-plugin 2, which needs Node >= 20.19), and
#                     package.json's overrides hold the dependencies its caret ranges now resolve to Node-20-only
#                     versions (devtools-connect, oidc-plugin, mongodb, bson) at the ones it was released with. No
#                     install scripts, no optional native modules (kerberos, client-side encryption, ...).
#                     key = hash(this script, mongosh/package.json, mongosh/package-lock.json)
# Idempotent: prints the dir on stdout (last line); everything else goes to stderr. Needs go (>= 1.26) and npm.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export PATH="/usr/local/go/bin:$PATH"
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
what=${1:?usage: build.sh go|mongosh}
case $what in
  go) KEY=$(cat "$HERE/build.sh" "$HERE/go.mod" "$HERE/go.sum" "$HERE"/tools/*.go | sha256sum | cut -c1-12); OUT=$CACHE/mongo-go-$KEY ;;
  mongosh) KEY=$(cat "$HERE/build.sh" "$HERE/mongosh/package.json" "$HERE/mongosh/package-lock.json" | sha256sum | cut -c1-12)
    OUT=$CACHE/mongosh-$KEY ;;
  *) echo "build.sh: unknown part $what (go or mongosh)" >&2; exit 2 ;;
esac
if [ -f "$OUT/.complete" ]; then echo "$OUT"; exit 0; fi
t0=$(date +%s)
mkdir -p "$CACHE"
rm -rf "$OUT" && mkdir -p "$OUT"
tmp=$(mktemp -d "$CACHE/.mongo-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ "$what" = go ]; then
  command -v go >/dev/null || { echo "build.sh: go not found (expected /usr/local/go/bin/go)" >&2; exit 1; }
  export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
  FERRETDB_VERSION=$(cd "$HERE" && go list -m -f '{{.Version}}' github.com/FerretDB/FerretDB)
  ( cd "$HERE" && go mod download github.com/FerretDB/FerretDB >&2 )
  src=$(cd "$HERE" && go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)
  # FerretDB's main panics unless build/version/version.txt holds its version (its `task gen-version` writes it;
  # the module zip has none), so it is built from a writable copy of the module.
  cp -r "$src" "$tmp/ferretdb" && chmod -R u+w "$tmp/ferretdb"
  echo "$FERRETDB_VERSION" > "$tmp/ferretdb/build/version/version.txt"
  echo "paas-test" > "$tmp/ferretdb/build/version/package.txt"
  ( cd "$tmp/ferretdb" && go build -trimpath -ldflags "-s -w" -o "$OUT/bin/ferretdb" ./cmd/ferretdb >&2 )
  echo "[build] ferretdb $FERRETDB_VERSION done after $(( $(date +%s) - t0 ))s" >&2
  ( cd "$HERE" && go build -trimpath -ldflags "-s -w" -o "$OUT/bin/mongodump" ./tools >&2 )
  ln -s mongodump "$OUT/bin/mongorestore"
  echo "[build] mongodump, mongorestore (stand-in) done after $(( $(date +%s) - t0 ))s" >&2
  "$OUT/bin/ferretdb" --version | sed -n 1p >&2
else
  command -v npm >/dev/null || { echo "build.sh: npm not found (it installs mongosh from the npm registry)" >&2; exit 1; }
  cp "$HERE/mongosh/package.json" "$HERE/mongosh/package-lock.json" "$tmp/"
  ( cd "$tmp" && npm ci --ignore-scripts --omit=optional --no-audit --no-fund --loglevel=error >&2 )
  # what a shell never loads: source maps and Markdown docs (~28 MB)
  find "$tmp/node_modules" -type f \( -name '*.map' -o -name '*.md' \) -delete
  mv "$tmp/node_modules" "$OUT/node_modules"
  echo "[build] mongosh $(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$OUT/node_modules/mongosh/package.json") done after $(( $(date +%s) - t0 ))s ($(du -sh "$OUT/node_modules" | cut -f1))" >&2
fi
echo "$(( $(date +%s) - t0 ))" > "$OUT/.build-seconds"
touch "$OUT/.complete"
# builds of older inputs (the Go and npm caches keep what a rebuild of them would need)
prefix=${OUT%-"$KEY"}
for old in "$prefix"-*/; do [ "${old%/}" = "$OUT" ] || rm -rf "${old%/}"; done
echo "$OUT"
