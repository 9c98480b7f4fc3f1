#!/usr/bin/env bash
# Benchmark of `paas access check` on the real node: time to a verdict for a 3-app matrix (a lets in no
# one, b lets in a, c is open: 6 directions), side by side with what an operator does by hand with kubectl:
# `kubectl run` one busybox pod per app with its labels, wait until they run, `kubectl exec` an `nc` call
# for each of the 6 directions, delete the pods. The hand version has no canaries and no retries, so it
# does less than paas (which also starts the two canaries and the canary caller).
# Prints medians and the ratio; asserts nothing.
#
#   bash tests/platform.sh up && eval "$(bash tests/platform.sh env)" && tests/bench/access.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PAAS_TEST_REGISTRY:?run: eval \"\$(tests/platform.sh env)\"}"
[ "${PAAS_TEST_REAL_NODE:-0}" = 1 ] || { echo "error: needs the real node (${PAAS_TEST_REAL_NODE_SKIP:-})" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
RUNS=${RUNS:-5}
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
KUBECTL=${PAAS_TEST_KUBECTL:-kubectl}
IMAGE=$PAAS_TEST_BUSYBOX_IMAGE
work=$(mktemp -d)
ns=bench-access-$(date +%s)
cleanup() {
    "$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
"$KUBECTL" create namespace "$ns" >/dev/null
"$KUBECTL" annotate namespace "$ns" >/dev/null \
    scheduler.alpha.kubernetes.io/node-selector=paas.dev/real=true \
    'scheduler.alpha.kubernetes.io/defaultTolerations=[{"key":"paas.dev/real","operator":"Exists","effect":"NoSchedule"}]'
for app in a b c; do
    cp -r tests/fixtures/projects/static-dist "$work/$app"
    (cd "$work/$app" && "$PAAS" init --yes -q --name "$app" --registry "$PAAS_TEST_REGISTRY/$ns" --set "base_image=$PAAS_TEST_BASE_NGINX")
done
printf '\n[access]\nallow_from = []\n' >> "$work/a/paas.toml"
printf '\n[access]\nallow_from = ["a"]\n' >> "$work/b/paas.toml"
for app in a b c; do (cd "$work/$app" && "$PAAS" up -q -n "$ns" >/dev/null); done

# The hand version: one pod per app with the app's selector labels, six calls, delete.
cat > "$work/by-hand.sh" <<EOF
set -e
for app in a b c; do
  $KUBECTL -n $ns run probe-\$app --image=$IMAGE --restart=Never \\
    --labels=app.kubernetes.io/name=\$app,app.kubernetes.io/instance=\$app,bench=probe \\
    --overrides='{"spec":{"securityContext":{"runAsNonRoot":true,"runAsUser":65534,"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"probe","image":"$IMAGE","command":["sh","-c","mkdir -p /tmp/w && echo ok > /tmp/w/index.html && exec httpd -f -p 8080 -h /tmp/w"],"ports":[{"name":"http","containerPort":8080}],"securityContext":{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}},"volumeMounts":[{"name":"tmp","mountPath":"/tmp"}]}],"volumes":[{"name":"tmp","emptyDir":{}}]}}' >/dev/null
done
$KUBECTL -n $ns wait --for=jsonpath='{.status.phase}'=Running pod -l bench=probe --timeout=60s >/dev/null
for from in a b c; do for to in a b c; do
  [ \$from = \$to ] && continue
  ip=\$($KUBECTL -n $ns get pod probe-\$to -o jsonpath='{.status.podIP}')
  $KUBECTL -n $ns exec probe-\$from -- sh -c "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 4 nc -w 2 \$ip 8080 || true" >/dev/null
done; done
$KUBECTL -n $ns delete pod -l bench=probe --grace-period=0 --wait=true >/dev/null 2>&1
EOF

hyperfine --warmup 1 --runs "$RUNS" --export-json "$work/access.json" \
    -n "paas access check (3 apps)" "$PAAS access check -q -n $ns --image $IMAGE" \
    -n "kubectl run + exec by hand" "bash $work/by-hand.sh" >&2
python3 - "$work/access.json" <<'PY'
import json, sys
r = [x["median"] for x in json.load(open(sys.argv[1]))["results"]]
print(f"access check: paas {r[0]:.2f} s   by hand {r[1]:.2f} s   ratio {r[0]/r[1]:.2f}x")
PY
