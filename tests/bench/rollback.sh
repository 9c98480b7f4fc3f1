#!/usr/bin/env bash
# Benchmark of `paas rollback` side by side with `kubectl rollout undo`, on the test platform:
#   paas rollback                 (the release before the live one, as a whole: every object,
#                                  prune, a new release record, the rollout waited for)
#   vs  kubectl rollout undo deployment/site && kubectl rollout status deployment/site
#                                 (the pod template only, no record)
# Each side runs in a namespace of its own where two releases of a static site were deployed, so
# every run rolls back to the other image. Prints medians, the ratio and the peak RSS of
# `paas rollback`. paas does more per run (every object, a record, a lock); the ratio says what
# that costs.
#
#   bash tests/platform.sh up && eval "$(bash tests/platform.sh env)" && tests/bench/rollback.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PAAS_TEST_REGISTRY:?run: eval \"\$(tests/platform.sh env)\"}"
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
RUNS=${RUNS:-20}
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
KUBECTL=${PAAS_TEST_KUBECTL:-kubectl}
work=$(mktemp -d)
suffix=$(date +%s)
ns_paas=bench-rollback-paas-$suffix ns_kubectl=bench-rollback-kubectl-$suffix
cleanup() {
    "$KUBECTL" delete namespace "$ns_paas" "$ns_kubectl" --wait=false >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# The app: a static site on the local nginx base image, two releases in each namespace.
cp -r tests/fixtures/projects/static-dist "$work/site"
cd "$work/site"
"$PAAS" init --yes -q --name site --registry "$PAAS_TEST_REGISTRY/bench-$suffix" --set "base_image=$PAAS_TEST_BASE_NGINX"
for ns in "$ns_paas" "$ns_kubectl"; do
    echo "<h1>one $suffix</h1>" > dist/index.html && "$PAAS" up -q -n "$ns"
    echo "<h1>two $suffix</h1>" > dist/index.html && "$PAAS" up -q -n "$ns"
done

k="$KUBECTL -n $ns_kubectl"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$work/rollback.json" \
    -n "paas rollback" "$PAAS rollback -q -n $ns_paas" \
    -n "kubectl rollout undo + rollout status" \
    "sh -c '$k rollout undo deployment/site >/dev/null && $k rollout status deployment/site >/dev/null'" >&2

rss=$( { /usr/bin/time -v "$PAAS" rollback -q -n "$ns_paas" >/dev/null; } 2>&1 | sed -n 's/.*Maximum resident set size (kbytes): //p')

python3 - "$work/rollback.json" "$rss" <<'PY'
import json, sys
paas, kubectl = [r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]]
print(f"paas rollback {paas:6.1f} ms   kubectl rollout undo + status {kubectl:6.1f} ms   ratio {paas/kubectl:.2f}x")
print(f"peak RSS of paas rollback: {int(sys.argv[2]) / 1024:.1f} MiB")
PY
