#!/usr/bin/env bash
# Applies the standard manifests (rendered by tests/packs/render-check.py, every scenario) to the test
# platform's Kubernetes API server in throw-away namespaces labelled with Pod Security "restricted"
# (enforce + warn), and checks: the API server accepts every object, no Pod Security warning, the
# Deployment's pods are admitted (kwok runs them) and the rollout completes. Removes its namespaces.
#
#   eval "$(tests/platform.sh env)"; tests/packs/cluster-check.sh      ends with "N passed, N failed"
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KUBECTL=${PAAS_TEST_KUBECTL:-kubectl}
PY=${PYTHON:-python3}
: "${KUBECONFIG:?run: eval \"\$(tests/platform.sh env)\"}"
[ -f "$KUBECONFIG" ] || { echo "no cluster: $KUBECONFIG missing (tests/platform.sh up)"; exit 1; }
WORK=$(mktemp -d /tmp/paas-cluster-check.XXXXXX)
RUN_ID=$(date +%s)-$$
PASSED=0 FAILED=0 NAMESPACES=()

cleanup() {
  for ns in "${NAMESPACES[@]}"; do $KUBECTL delete namespace "$ns" --wait=false >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
pass() { PASSED=$((PASSED + 1)); echo "  ok    $*"; }
fail() { FAILED=$((FAILED + 1)); echo "  FAIL  $*"; }

"$PY" "$HERE/render-check.py" -o "$WORK/r" >/dev/null || { echo "render-check.py failed"; exit 1; }

for dir in "$WORK"/r/manifests/*/; do
  scen=$(basename "$dir")
  ns=pk-$scen-$RUN_ID; ns=${ns:0:63}; ns=${ns%-}
  NAMESPACES+=("$ns")
  $KUBECTL create namespace "$ns" >/dev/null
  $KUBECTL label namespace "$ns" pod-security.kubernetes.io/enforce=restricted \
      pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/audit=restricted >/dev/null
  # The scenarios that set a namespace use "shop": point them at the throw-away one.
  mkdir -p "$WORK/apply/$scen"
  for f in "$dir"*.yaml; do
    sed "s/^  namespace: \"shop\"$/  namespace: \"$ns\"/" "$f" > "$WORK/apply/$scen/$(basename "$f")"
  done
  # Files that render to nothing (only comments) are skipped, as paas does.
  files=()
  for f in "$WORK/apply/$scen"/*.yaml; do grep -q '^apiVersion:' "$f" && files+=(-f "$f"); done
  if [[ $scen == evil-* ]]; then
    # Values that try to inject YAML arrive as one intact string, which the API server then refuses
    # as a label value: the rejection must quote the whole value, newline and all.
    out=$($KUBECTL apply -n "$ns" --server-side --field-manager=paas "${files[@]}" 2>&1) && st=0 || st=$?
    if [ "$st" != 0 ] && echo "$out" | grep -qF 'Invalid value: "x\"\n  injected: true'; then
      pass "$scen: injection attempt arrives as one string and is refused"
    else
      fail "$scen: injection attempt"; echo "$out" | head -5 | sed 's/^/        /'
    fi
    continue
  fi
  if out=$($KUBECTL apply -n "$ns" --server-side --field-manager=paas "${files[@]}" 2>&1); then
    pass "$scen: API server accepts $(( ${#files[@]} / 2 )) objects"
  else
    fail "$scen: apply"; echo "$out" | sed 's/^/        /'; continue
  fi
  if echo "$out" | grep -qi 'warning'; then fail "$scen: warnings"; echo "$out" | grep -i warning | sed 's/^/        /'
  else pass "$scen: no Pod Security (or other) warning"; fi
  if out=$($KUBECTL rollout status -n "$ns" deployment/shop-web --timeout=90s 2>&1); then
    pass "$scen: rollout completes (pods admitted under enforce=restricted)"
  else
    fail "$scen: rollout"; echo "$out" | sed 's/^/        /'
    $KUBECTL get events -n "$ns" 2>&1 | tail -5 | sed 's/^/        /'
  fi
done

# Control: the same namespaces really enforce "restricted" (a pod without the settings is refused).
ns=${NAMESPACES[0]}
if out=$($KUBECTL run -n "$ns" control --image=registry.example.com/x:1 --restart=Never --dry-run=server 2>&1); then
  fail "control: a non-restricted pod was admitted, so the checks above prove nothing"
else
  echo "$out" | grep -qE 'violates? PodSecurity "restricted' && pass "control: a non-restricted pod is refused (Pod Security admission is on)" \
    || { fail "control: unexpected error"; echo "$out" | sed 's/^/        /'; }
fi

echo "cluster-check: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
