#!/usr/bin/env bash
# Benchmarks of the local target (no cluster) side by side with Docker Compose on the same engine:
#   cold:  paas up after `paas down` and a changed file  vs  docker compose down, the same change,
#          docker compose up -d --build --wait (an equivalent compose file: the same image build, user,
#          read-only root, tmpfs /tmp, dropped capabilities, limits, a port on 127.0.0.1)
#   no-op: paas up (nothing changed)  vs  docker compose up -d --build --wait (nothing changed)
# Prints medians and ratios. Compose is built from its Go module (tests/bench/compose.sh, cached).
#
#   bash tests/platform.sh up && eval "$(bash tests/platform.sh env)" && tests/bench/local.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PAAS_TEST_BASE_NGINX:?run: eval \"\$(tests/platform.sh env)\"}"
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
RUNS=${RUNS:-10}
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
bash tests/bench/compose.sh >/dev/null
docker compose version >&2
work=$(mktemp -d)
app=bench-local-$(date +%s)
export XDG_STATE_HOME=$work/state
cleanup() {
    ( cd "$work/site" && env -u KUBECONFIG "$PAAS" down -q --volumes >/dev/null 2>&1 ) || true
    ( cd "$work/peer" && docker compose down -v >/dev/null 2>&1 ) || true
    rm -rf "$work"
}
trap cleanup EXIT

cp -r tests/fixtures/projects/static-dist "$work/site"
( cd "$work/site" && "$PAAS" init --yes -q --name "$app" --set "base_image=$PAAS_TEST_BASE_NGINX" )
cp -r "$work/site" "$work/peer"
cat > "$work/peer/compose.yaml" <<YAML
name: $app-peer
services:
  site:
    build: .
    user: "101:101"
    read_only: true
    tmpfs: ["/tmp"]
    cap_drop: [ALL]
    security_opt: ["no-new-privileges"]
    mem_limit: 256m
    cpus: 0.5
    ports: ["127.0.0.1::8080"]
YAML
paas_up="env -u KUBECONFIG $PAAS up -q"
peer_up="docker compose up -d --build --wait --quiet-pull >/dev/null 2>&1"

# Warm both (the engine's layer cache, paas's front door image).
( cd "$work/site" && sh -c "$paas_up" )
( cd "$work/peer" && sh -c "$peer_up" )

cd "$work/site"
hyperfine --warmup 1 --runs "$RUNS" --export-json "$work/cold-paas.json" \
    --prepare "env -u KUBECONFIG $PAAS down -q >/dev/null 2>&1; date +%s%N > dist/stamp.txt" \
    -n "paas up (after down, changed file)" "$paas_up" >&2
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$work/noop-paas.json" -n "paas up (no-op)" "$paas_up" >&2
cd "$work/peer"
hyperfine --warmup 1 --runs "$RUNS" --export-json "$work/cold-peer.json" \
    --prepare "docker compose down >/dev/null 2>&1; date +%s%N > dist/stamp.txt" \
    -n "docker compose up --build --wait (after down, changed file)" "$peer_up" >&2
hyperfine --warmup 2 --runs "$RUNS" --export-json "$work/noop-peer.json" -n "docker compose up (no-op)" "$peer_up" >&2

python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
m = lambda name: json.load(open(f"{w}/{name}.json"))["results"][0]["median"] * 1000
for case in ("cold", "noop"):
    p, q = m(f"{case}-paas"), m(f"{case}-peer")
    print(f"{case:5}: paas up {p:8.1f} ms   docker compose up {q:8.1f} ms   ratio {p/q:.2f}x")
PY
