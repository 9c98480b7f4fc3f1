#!/usr/bin/env bash
# Builds Docker Compose (the peer of the local target's benchmark, tests/bench/local.sh) from its Go
# module and installs it as the Docker CLI plugin `docker compose`, cached outside the repository by
# version: ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/compose-<version>/docker-compose. Prints its path.
set -euo pipefail
export PATH="/usr/local/go/bin:$PATH"
VERSION=5.6.0
OUT=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/compose-$VERSION
if [ ! -f "$OUT/.complete" ]; then
    rm -rf "$OUT" && mkdir -p "$OUT"
    t0=$(date +%s)
    # Compose's go.mod has exclude directives, so `go install pkg@version` refuses it: build it in a
    # module of its own that requires it.
    src=$(mktemp -d)
    ( cd "$src" && go mod init paas-bench-compose >&2 && go get "github.com/docker/compose/v5/cmd@v$VERSION" >&2 \
        && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w" -o "$OUT/docker-compose" \
            github.com/docker/compose/v5/cmd >&2 )
    rm -rf "$src"
    echo "[build] docker compose $VERSION built in $(( $(date +%s) - t0 ))s" >&2
    touch "$OUT/.complete"
fi
mkdir -p "$HOME/.docker/cli-plugins"
ln -sf "$OUT/docker-compose" "$HOME/.docker/cli-plugins/docker-compose"
echo "$OUT/docker-compose"
