#!/usr/bin/env bash
# Benchmarks of `paas up` side by side with the peer pipeline on the test platform:
#   no-op: paas up (nothing changed)  vs  docker build (cached) + docker push (unchanged)
#          + kubectl apply --server-side + kubectl rollout status
#   cold:  paas up after a content change (it reuses the engine's layer cache for unchanged steps, as it
#          always does)  vs  docker build --no-cache + docker push + apply of the new tag + rollout status
# and the peak RSS of `paas up`. Prints medians and ratios (targets: no-op <= 0.5x, cold <= 1.1x).
#
#   bash tests/platform.sh up && eval "$(bash tests/platform.sh env)" && tests/bench/up.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PAAS_TEST_REGISTRY:?run: eval \"\$(tests/platform.sh env)\"}"
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
RUNS=${RUNS:-10}
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
KUBECTL=${PAAS_TEST_KUBECTL:-kubectl}
work=$(mktemp -d)
suffix=$(date +%s)
ns_paas=bench-paas-$suffix ns_peer=bench-peer-$suffix
cleanup() {
    "$KUBECTL" delete namespace "$ns_paas" "$ns_peer" --wait=false >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# The project: a static site on the local nginx base image.
cp -r tests/fixtures/projects/static-dist "$work/site"
cd "$work/site"
"$PAAS" init --yes -q --name site --registry "$PAAS_TEST_REGISTRY/bench-$suffix" --set "base_image=$PAAS_TEST_BASE_NGINX"
"$KUBECTL" create namespace "$ns_peer" >/dev/null
peer_image=$PAAS_TEST_REGISTRY/bench-$suffix/peer:1
"$PAAS" render -q --image "$peer_image" > "$work/peer.yaml"
peer_noop="docker build -q -t $peer_image . >/dev/null && docker push -q $peer_image >/dev/null && $KUBECTL apply --server-side -n $ns_peer -f $work/peer.yaml >/dev/null && $KUBECTL rollout status -n $ns_peer deployment/site >/dev/null"
# Cold: a new tag each run, so the peer really rolls out a new image, as paas does.
peer_repo=${peer_image%:*}
peer_cold="t=\$(date +%s%N) && docker build -q --no-cache -t $peer_repo:\$t . >/dev/null && docker push -q $peer_repo:\$t >/dev/null && sed \"s|image: .*|image: $peer_repo:\$t|\" $work/peer.yaml | $KUBECTL apply --server-side -n $ns_peer -f - >/dev/null && $KUBECTL rollout status -n $ns_peer deployment/site >/dev/null"
paas_up="$PAAS up -q -n $ns_paas"

# Warm both: first deploys.
sh -c "$paas_up"
sh -c "$peer_noop"

hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$work/noop.json" -n "paas up (no-op)" "$paas_up" -n "peer pipeline (no-op)" "sh -c '$peer_noop'" >&2
hyperfine --warmup 1 --runs "$RUNS" --export-json "$work/cold.json" \
    --prepare "date +%s%N > $work/site/dist/stamp.txt" -n "paas up (changed file)" "$paas_up" \
    -n "peer pipeline (--no-cache)" "sh -c '$peer_cold'" >&2

rss=$( { /usr/bin/time -v sh -c "date +%s%N > dist/stamp.txt; $paas_up" >/dev/null; } 2>&1 | sed -n 's/.*Maximum resident set size (kbytes): //p')

python3 - "$work/noop.json" "$work/cold.json" "$rss" <<'PY'
import json, sys
def medians(path):
    return [r["median"] * 1000 for r in json.load(open(path))["results"]]
noop, cold = medians(sys.argv[1]), medians(sys.argv[2])
print(f"no-op: paas up {noop[0]:7.1f} ms   peer pipeline {noop[1]:7.1f} ms   ratio {noop[0]/noop[1]:.2f}x (target <= 0.5x)")
print(f"cold:  paas up {cold[0]:7.1f} ms   peer pipeline {cold[1]:7.1f} ms   ratio {cold[0]/cold[1]:.2f}x (target <= 1.1x)")
print(f"peak RSS of paas up (changed file): {int(sys.argv[3]) / 1024:.1f} MiB")
PY
