#!/usr/bin/env bash
# Benchmark of `paas status` side by side with the kubectl calls a user needs for the same
# information, on the test platform:
#   paas status
#   vs  kubectl rollout status --watch=false + get pods -o wide + get events (warnings)
#       + get svc,ingress + top pods + get secrets (the release records), one after the other
#   and the same kubectl calls run in parallel (the fastest a script can get them)
# against a deployed, healthy static site. Prints medians and ratios (target: <= 0.5x of the
# sequential kubectl calls) and the peak RSS of `paas status`.
#
# Without a metrics API (`kubectl top` fails), `kubectl top pods` still costs its process and
# its discovery request; `paas status` asks once and leaves usage out.
#
#   bash tests/platform.sh up && eval "$(bash tests/platform.sh env)" && tests/bench/status.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PAAS_TEST_REGISTRY:?run: eval \"\$(tests/platform.sh env)\"}"
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
RUNS=${RUNS:-20}
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
KUBECTL=${PAAS_TEST_KUBECTL:-kubectl}
work=$(mktemp -d)
suffix=$(date +%s)
ns=bench-status-$suffix
cleanup() {
    "$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# The app: a static site on the local nginx base image, deployed once.
cp -r tests/fixtures/projects/static-dist "$work/site"
cd "$work/site"
"$PAAS" init --yes -q --name site --registry "$PAAS_TEST_REGISTRY/bench-$suffix" --set "base_image=$PAAS_TEST_BASE_NGINX"
"$PAAS" up -q -n "$ns"
"$PAAS" status -n "$ns" >/dev/null

k="$KUBECTL -n $ns"
calls=(
    "$k rollout status deployment/site --watch=false"
    "$k get pods -l app.kubernetes.io/name=site -o wide"
    "$k get events --field-selector type=Warning"
    "$k get svc,ingress -l paas.dev/app=site"
    "$k top pods -l app.kubernetes.io/name=site"
    "$k get secrets -l paas.dev/release-of=site"
)
sequential="" parallel=""
for call in "${calls[@]}"; do
    sequential+="$call >/dev/null 2>&1; "
    parallel+="$call >/dev/null 2>&1 & "
done
parallel+="wait"

hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/status.json" \
    -n "paas status" "$PAAS status -n $ns" \
    -n "kubectl x${#calls[@]}, one after the other" "sh -c '$sequential'" \
    -n "kubectl x${#calls[@]}, in parallel" "sh -c '$parallel'" >&2

rss=$( { /usr/bin/time -v "$PAAS" status -n "$ns" >/dev/null; } 2>&1 | sed -n 's/.*Maximum resident set size (kbytes): //p')

python3 - "$work/status.json" "$rss" <<'PY'
import json, sys
paas, seq, par = [r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]]
print(f"paas status {paas:6.1f} ms   kubectl one after the other {seq:6.1f} ms   ratio {paas/seq:.2f}x (target <= 0.5x)")
print(f"paas status {paas:6.1f} ms   kubectl in parallel         {par:6.1f} ms   ratio {paas/par:.2f}x")
print(f"peak RSS of paas status: {int(sys.argv[2]) / 1024:.1f} MiB")
PY
