#!/usr/bin/env bash
# Measures the platform's real node (tests/platform/node.sh) as it runs now: pod start time (create to
# Ready, RUNS pods of the cached client image, one after the other), the memory of its processes (RSS) and
# the disk it uses. Needs `tests/platform.sh up` with the real node. Prints one line per figure.
#   tests/platform/node-measure.sh            RUNS=10 tests/platform/node-measure.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
eval "$(bash "$HERE/platform.sh" env)"
[ "${PAAS_TEST_REAL_NODE:-0}" = 1 ] || { echo "no real node: ${PAAS_TEST_REAL_NODE_SKIP:-}" >&2; exit 1; }
STATE=${PAAS_TEST_STATE:-/tmp/paas-test-platform}
RUNS=${RUNS:-5}
ns=paas-measure-$$
k() { "$PAAS_TEST_KUBECTL" "$@"; }
cleanup() { k delete namespace "$ns" --wait=false >/dev/null 2>&1 || true; }
trap cleanup EXIT
k create namespace "$ns" >/dev/null
k annotate namespace "$ns" >/dev/null \
  scheduler.alpha.kubernetes.io/node-selector=paas.dev/real=true \
  'scheduler.alpha.kubernetes.io/defaultTolerations=[{"key":"paas.dev/real","operator":"Exists","effect":"NoSchedule"}]'
for _ in $(seq 1 50); do k -n "$ns" get serviceaccount default >/dev/null 2>&1 && break; sleep 0.2; done

times=()
for i in $(seq 1 "$RUNS"); do
  t0=$(date +%s.%N)
  k -n "$ns" run "p$i" --image="$PAAS_TEST_CLIENT_IMAGE" --restart=Never \
    --overrides='{"spec":{"terminationGracePeriodSeconds":0}}' --command -- sleep infinity >/dev/null
  k -n "$ns" wait --for=condition=Ready "pod/p$i" --timeout=120s >/dev/null
  times+=("$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')")
done
printf 'pod start (create -> Ready, %s runs): %s s; median %s s\n' "$RUNS" "${times[*]}" \
  "$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"

pods=$(k get pods -A --field-selector "spec.nodeName=$PAAS_TEST_REAL_NODE_NAME" --no-headers | wc -l)
rss() { local p; p=$(cat "$STATE/pids/$1" 2>/dev/null) && awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$p/status"; }
total=0 line=""
for p in kubelet containerd kube-proxy kube-router; do
  m=$(rss "$p"); total=$((total + m)); line="$line $p ${m} MB,"
done
shims=$(pgrep -f "containerd-shim-runc-v2 .*-address $STATE/node/run/containerd/containerd.sock" || true)
shim_mb=0; n_shims=0
for p in $shims; do shim_mb=$((shim_mb + $(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$p/status"))); n_shims=$((n_shims + 1)); done
dns=$(pgrep -x coredns | head -1 || true)
dns_mb=0; [ -z "$dns" ] || dns_mb=$(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$dns/status")
echo "memory (RSS, $pods pods on the node):$line coredns $dns_mb MB, $n_shims shims $shim_mb MB; node processes $((total + dns_mb)) MB"
bin=$(dirname "$(dirname "$(readlink -f "/proc/$(cat "$STATE/pids/kubelet")/exe")")")
# -x: the containers' root filesystems are overlay mounts under the state folder
echo "disk: binaries $(du -sh "$bin" | cut -f1) ($bin), containerd root $(du -shx "$STATE/node/containerd/root" | cut -f1), node state $(du -shx "$STATE/node" | cut -f1)"
