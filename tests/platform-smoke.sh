#!/usr/bin/env bash
# Smoke checks of the test platform (run after `tests/platform.sh up`); exits non-zero on the first failure.
#   tests/platform-smoke.sh
# Checks: docker + base images; push to both registries (the auth one rejects anonymous pushes); nodes Ready;
# a Deployment rolls out; pods/log and --previous return the fake lines; the fault stages (crash-loop,
# image-pull, never-ready, oom); Unschedulable from the real scheduler; Pod Security "restricted" admission; the
# metrics API (skipped on a cluster created without it).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
eval "$("$HERE/platform.sh" env)"
K=$PAAS_TEST_KUBECTL
D=/usr/bin/docker; [ -x "$D" ] || D=docker
NS=paas-smoke-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
PSA_NS=$NS-restricted
FAILED=0
t_all=$(date +%s.%N)

ok()   { printf '[smoke] ok   %-58s %s\n' "$1" "$(awk -v a="$2" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b-a}')" >&2; }
fail() { echo "[smoke] FAIL $1" >&2; FAILED=1; exit 1; }
k() { "$K" "$@"; }
# poll until a jsonpath output matches an extended regex (timeout seconds)
wait_jsonpath() {  # timeout resource jsonpath regex
  local t=$1 res=$2 jp=$3 re=$4 v="" i
  for ((i = 0; i < t * 4; i++)); do
    v=$(k -n "$NS" get "$res" -o "jsonpath=$jp" 2>/dev/null || true)
    [[ $v =~ $re ]] && return 0; sleep 0.25
  done
  echo "[smoke] $res $jp = '$v' (wanted /$re/)" >&2; return 1
}
cleanup() {
  k delete namespace "$NS" "$PSA_NS" --wait=false >/dev/null 2>&1 || true
  [ -z "${DOCKER_CONFIG:-}" ] || rm -rf "$DOCKER_CONFIG"
  if [ "$FAILED" = 0 ]; then echo "[smoke] all checks passed ($(awk -v a="$t_all" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b-a}'))" >&2; fi
}
trap cleanup EXIT

# ---- docker, images, registries
t=$(date +%s.%N)
for i in "$PAAS_TEST_BASE_BUSYBOX" "$PAAS_TEST_BASE_DEBIAN" "$PAAS_TEST_BASE_NGINX"; do
  $D image inspect "$i" >/dev/null || fail "image $i missing"
done
[ "$($D run --rm --user 65534 "$PAAS_TEST_BASE_BUSYBOX" id -u)" = 65534 ] || fail "busybox image does not run"
ok "docker: base images present, busybox runs" "$t"

t=$(date +%s.%N)
DOCKER_CONFIG=$(mktemp -d); export DOCKER_CONFIG
for r in "$PAAS_TEST_REGISTRY" "$PAAS_TEST_AUTH_REGISTRY"; do $D tag "$PAAS_TEST_BASE_BUSYBOX" "$r/$NS/busybox:1"; done
$D push -q "$PAAS_TEST_REGISTRY/$NS/busybox:1" >/dev/null || fail "push to $PAAS_TEST_REGISTRY"
if $D push -q "$PAAS_TEST_AUTH_REGISTRY/$NS/busybox:1" >/dev/null 2>&1; then fail "anonymous push to $PAAS_TEST_AUTH_REGISTRY was accepted"; fi
echo "$PAAS_TEST_AUTH_PASSWORD" | $D login -u "$PAAS_TEST_AUTH_USER" --password-stdin "$PAAS_TEST_AUTH_REGISTRY" >/dev/null 2>&1 || fail "docker login"
$D push -q "$PAAS_TEST_AUTH_REGISTRY/$NS/busybox:1" >/dev/null || fail "authenticated push to $PAAS_TEST_AUTH_REGISTRY"
tags=$(curl -sf -u "$PAAS_TEST_AUTH_USER:$PAAS_TEST_AUTH_PASSWORD" "http://$PAAS_TEST_AUTH_REGISTRY/v2/$NS/busybox/tags/list") \
  && grep -q '"1"' <<<"$tags" || fail "tag not listed"
for r in "$PAAS_TEST_REGISTRY" "$PAAS_TEST_AUTH_REGISTRY"; do $D rmi "$r/$NS/busybox:1" >/dev/null; done
ok "registries: push open + auth (anonymous rejected)" "$t"

# ---- cluster
t=$(date +%s.%N)
[ "$(k get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)" -ge 2 ] \
  || fail "2 nodes Ready"
ok "cluster: $(k version -o json | jq -r .serverVersion.gitVersion), 2 nodes Ready" "$t"

t=$(date +%s.%N)
k create namespace "$NS" >/dev/null
k -n "$NS" create deployment web --image="$PAAS_TEST_REGISTRY/$NS/busybox:1" --replicas=2 >/dev/null
k -n "$NS" rollout status deployment/web --timeout=90s >/dev/null || fail "deployment rollout"
ok "deployment web (2 replicas) rolled out" "$t"

t=$(date +%s.%N)
# (capture first: `kubectl … | grep -q` fails under pipefail when grep exits before kubectl is done)
log=$(k -n "$NS" logs deployment/web 2>/dev/null) || fail "kubectl logs"
grep -q 'paas-test fake app: listening' <<<"$log" || fail "kubectl logs: $log"
log=$(k -n "$NS" logs deployment/web --previous 2>/dev/null) || fail "kubectl logs --previous"
grep -q 'previous instance' <<<"$log" || fail "kubectl logs --previous: $log"
ok "pods/log and --previous return the fake lines" "$t"

t=$(date +%s.%N)
for f in crash-loop image-pull never-ready oom; do
  k -n "$NS" run "fault-$f" --image="$PAAS_TEST_REGISTRY/$NS/app:1" --labels="paas.dev/test-fault=$f" --restart=Always >/dev/null
done
k -n "$NS" run unschedulable --image=busybox --restart=Always \
  --overrides='{"apiVersion":"v1","spec":{"nodeSelector":{"paas.dev/no-such-node":"true"}}}' >/dev/null
wait_jsonpath 30 pod/fault-crash-loop '{.status.containerStatuses[0].state.waiting.reason}' '^CrashLoopBackOff$' || fail "crash-loop reason"
wait_jsonpath 30 pod/fault-crash-loop '{.status.containerStatuses[0].restartCount}' '^([2-9]|[1-9][0-9]+)$' || fail "crash-loop restartCount grows"
wait_jsonpath 5 pod/fault-crash-loop '{.status.containerStatuses[0].lastState.terminated.exitCode}' '^1$' || fail "crash-loop exitCode"
ok "crash-loop: CrashLoopBackOff, restartCount grows, lastState exitCode 1" "$t"
t=$(date +%s.%N)
wait_jsonpath 30 pod/fault-image-pull '{.status.containerStatuses[0].state.waiting.reason}' '^(ErrImagePull|ImagePullBackOff)$' || fail "image-pull"
wait_jsonpath 30 pod/fault-image-pull '{.status.phase}/{.status.containerStatuses[0].state.waiting.reason}' '^Pending/ImagePullBackOff$' || fail "image-pull backoff"
ok "image-pull: Pending, ErrImagePull -> ImagePullBackOff" "$t"
t=$(date +%s.%N)
wait_jsonpath 30 pod/fault-never-ready '{.status.phase}/{.status.containerStatuses[0].ready}/{.status.conditions[?(@.type=="Ready")].status}' '^Running/false/False$' || fail "never-ready"
ok "never-ready: Running, ready=false, Ready=False" "$t"
t=$(date +%s.%N)
wait_jsonpath 30 pod/fault-oom '{.status.containerStatuses[0].lastState.terminated.reason}/{.status.containerStatuses[0].lastState.terminated.exitCode}/{.status.containerStatuses[0].state.waiting.reason}' '^OOMKilled/137/CrashLoopBackOff$' || fail "oom"
ok "oom: lastState OOMKilled 137, CrashLoopBackOff" "$t"
t=$(date +%s.%N)
wait_jsonpath 30 pod/unschedulable '{.status.conditions[?(@.type=="PodScheduled")].status}/{.status.conditions[?(@.type=="PodScheduled")].reason}' '^False/Unschedulable$' || fail "unschedulable"
ok "unschedulable: PodScheduled=False reason Unschedulable" "$t"

t=$(date +%s.%N)
k create namespace "$PSA_NS" >/dev/null
k label namespace "$PSA_NS" pod-security.kubernetes.io/enforce=restricted >/dev/null
if out=$(k -n "$PSA_NS" run priv --image=busybox --privileged 2>&1); then fail "privileged pod admitted in a restricted namespace"; fi
grep -q 'violates PodSecurity "restricted' <<<"$out" || fail "unexpected rejection: $out"
k -n "$PSA_NS" run compliant --image=busybox --overrides='{"apiVersion":"v1","spec":{"securityContext":{"runAsNonRoot":true,"runAsUser":65534,"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"compliant","image":"busybox","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}' >/dev/null \
  || fail "restricted-compliant pod rejected"
ok "pod security restricted: privileged rejected, compliant admitted" "$t"

t=$(date +%s.%N)
avail=$(k get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}' 2>/dev/null || true)
if [ -z "$avail" ]; then
  echo "[smoke] skip metrics API: not registered (a cluster created before metrics-server was added)" >&2
else
  [ "$avail" = True ] || fail "metrics API registered but not available ($avail)"
  k get --raw /apis/metrics.k8s.io/v1beta1/namespaces/"$NS"/pods >/dev/null || fail "metrics API: list pod metrics"
  ok "metrics API: v1beta1.metrics.k8s.io available, pod metrics listed" "$t"
fi
