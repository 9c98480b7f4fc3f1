#!/usr/bin/env bash
# Benchmarks of `paas logs` side by side with `kubectl logs -l SELECTOR --prefix --max-log-requests 10
# --tail=-1` (every line, as `paas logs` prints by default), over 10 pods:
#   platform:   a Deployment of 10 pods on the test platform (kwok serves the 3 lines of
#               tests/cluster/fake-app.log for each): time to the whole output, time to the first line;
#   throughput: 10 pods x LINES lines (~100 bytes each) from a scripted API server on loopback
#               (tests/bench/fake-apiserver.py, plain HTTP): lines per second, time to the first line.
# Runs are interleaved (hyperfine alternates nothing, so the first-line timer alternates the two
# tools itself). Prints medians and ratios paas/kubectl (below 1: paas is faster).
#
#   bash tests/platform.sh up && eval "$(bash tests/platform.sh env)" && tests/bench/logs.sh
#   RUNS=30 LINES=50000 PAAS=target/release/paas tests/bench/logs.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PAAS_TEST_KUBECTL:?run: eval \"\$(tests/platform.sh env)\"}"
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
RUNS=${RUNS:-20}
LINES=${LINES:-20000}
PODS=10
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
KUBECTL=$PAAS_TEST_KUBECTL
work=$(mktemp -d)
ns=bench-logs-$(date +%s)
server_pid=
platform_kubeconfig=${KUBECONFIG:-}
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    # KUBECONFIG points at the scripted server by now.
    KUBECONFIG=$platform_kubeconfig "$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# --- platform: 10 pods carrying paas's labels -------------------------------------------------
"$KUBECTL" create namespace "$ns" >/dev/null
"$KUBECTL" apply -n "$ns" -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: bench}
spec:
  replicas: $PODS
  selector: {matchLabels: {app.kubernetes.io/name: bench}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: bench, paas.dev/app: bench, app.kubernetes.io/managed-by: paas}
    spec:
      containers: [{name: bench, image: "bench:1"}]
EOF
"$KUBECTL" rollout status -n "$ns" deployment/bench --timeout 120s >/dev/null

first_line() { # NAME CMD NAME CMD: median ms to the first stdout line, runs alternating
    python3 - "$RUNS" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, named = int(sys.argv[1]), sys.argv[2:]
pairs = list(zip(named[0::2], named[1::2]))
times = {name: [] for name, _ in pairs}
for i in range(runs + 1):
    for name, cmd in (pairs if i % 2 else pairs[::-1]):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        proc.stdout.readline()
        took = (time.perf_counter() - start) * 1000
        proc.stdout.read()
        proc.wait()
        if i:  # the first round warms up
            times[name].append(took)
for name, _ in pairs:
    print(f"{name}={statistics.median(times[name]):.1f}")
PY
}

compare() { # SCENARIO: both print the same number of lines; then hyperfine and the first line
    paas_lines=$($paas_cmd | wc -l) kubectl_lines=$($kubectl_cmd | wc -l)
    [ "$paas_lines" = "$kubectl_lines" ] || { echo "error: paas printed $paas_lines lines, kubectl $kubectl_lines" >&2; exit 1; }
    hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/$1.json" \
        -n "paas logs ($1, $paas_lines lines)" "$paas_cmd" -n "kubectl logs ($1, $kubectl_lines lines)" "$kubectl_cmd" >&2
    first_line paas "$paas_cmd" kubectl "$kubectl_cmd" > "$work/$1-first.txt"
}

paas_cmd="$PAAS logs -q --app bench -n $ns"
kubectl_cmd="$KUBECTL logs -n $ns -l paas.dev/app=bench --prefix --max-log-requests $PODS --tail=-1"
compare platform

# --- throughput: a scripted API server with LINES lines a pod ----------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 tests/bench/fake-apiserver.py "$port" "$PODS" "$LINES" > "$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 50); do grep -q ready "$work/server.out" 2>/dev/null && break; sleep 0.1; done
cat > "$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: fake, cluster: {server: "http://127.0.0.1:$port"}}]
users: [{name: fake, user: {}}]
contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: bench}}]
current-context: fake
EOF
export KUBECONFIG=$work/kubeconfig
paas_cmd="$PAAS logs -q --app bench"
kubectl_cmd="$KUBECTL logs -l paas.dev/app=bench --prefix --max-log-requests $PODS --tail=-1"
compare throughput
# shellcheck disable=SC2086 # the command is meant to be split into words
rss=$( { /usr/bin/time -v $paas_cmd >/dev/null; } 2>&1 | sed -n 's/.*Maximum resident set size (kbytes): //p')

python3 - "$work" "$paas_lines" "$rss" <<'PY'
import json, sys
work, lines, rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def medians(name):
    return [r["median"] * 1000 for r in json.load(open(f"{work}/{name}.json"))["results"]]
def first(name):
    return dict((k, float(v)) for k, v in (l.strip().split("=") for l in open(f"{work}/{name}-first.txt")))
p, k = medians("platform")
f = first("platform")
print(f"platform, 10 pods x 3 lines:   paas {p:7.1f} ms   kubectl {k:7.1f} ms   ratio {p/k:.2f}x")
print(f"  time to first line:          paas {f['paas']:7.1f} ms   kubectl {f['kubectl']:7.1f} ms   ratio {f['paas']/f['kubectl']:.2f}x")
p, k = medians("throughput")
f = first("throughput")
print(f"scripted server, {lines} lines: paas {p:7.1f} ms   kubectl {k:7.1f} ms   ratio {p/k:.2f}x")
print(f"  lines per second:            paas {lines/p*1000:9.0f}   kubectl {lines/k*1000:9.0f}   ratio {k/p:.2f}x")
print(f"  time to first line:          paas {f['paas']:7.1f} ms   kubectl {f['kubectl']:7.1f} ms   ratio {f['paas']/f['kubectl']:.2f}x")
print(f"peak RSS of paas logs ({lines} lines): {rss / 1024:.1f} MiB")
PY
