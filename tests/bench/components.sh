#!/usr/bin/env bash
# Benchmarks of the app's components on the test platform, side by side with what a user would run by
# hand with kubectl:
#   up:      `paas up` of a site with one Redis after a content change (components applied and waited
#            for, then the app)  vs  docker build + push, kubectl apply of the component, kubectl rollout
#            status of its StatefulSet, kubectl apply of the app with the new image, kubectl rollout status
#            of the Deployment (the kwok nodes: what is timed is the tools, not the pods)
#   backup:  `paas backup` of 100 MB of data  vs  `kubectl exec` of the same dump command, to a file
#   restore: `paas restore --yes` of that file  vs  `kubectl exec -i` of the same restore command
#            (Redis and PostgreSQL on the real node, images from tests/platform/images.sh)
# Prints medians, ratios and throughputs; asserts nothing.
#
#   bash tests/platform.sh up && eval "$(bash tests/platform.sh env)" && tests/bench/components.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
: "${PAAS_TEST_REGISTRY:?run: eval \"\$(tests/platform.sh env)\"}"
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
RUNS=${RUNS:-5}
MB=${MB:-100}
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
KUBECTL=${PAAS_TEST_KUBECTL:-kubectl}
work=$(mktemp -d)
suffix=$(date +%s)
ns_up=bench-cup-$suffix ns_peer=bench-cpeer-$suffix ns_real=bench-creal-$suffix
cleanup() {
    "$KUBECTL" delete namespace "$ns_up" "$ns_peer" "$ns_real" --wait=false >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
site() {  # folder registry-suffix base-image
    cp -r tests/fixtures/projects/static-dist "$1"
    (cd "$1" && "$PAAS" init --yes -q --name site --registry "$PAAS_TEST_REGISTRY/$2" --set "base_image=$3")
}

# ------------------------------------------------------------------------------------------ up
site "$work/site" "bench-$suffix" "$PAAS_TEST_BASE_NGINX"
printf '\n[components.cache]\nkind = "redis"\n' >> "$work/site/paas.toml"
cd "$work/site"
"$KUBECTL" create namespace "$ns_peer" >/dev/null
peer_repo=$PAAS_TEST_REGISTRY/bench-$suffix/peer
"$PAAS" render -q -n "$ns_peer" --image "$peer_repo:1" > "$work/all.yaml"
# The component's objects and its Secret (which paas makes once; the peer applies one it was given).
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
docs = [d for d in open(f"{work}/all.yaml").read().split("\n---\n") if d.strip()]
with open(f"{work}/component.yaml", "w") as c, open(f"{work}/app.yaml", "w") as a:
    for doc in docs:
        (c if "paas.dev/component:" in doc else a).write(doc.strip("-\n") + "\n---\n")
PY
"$KUBECTL" -n "$ns_peer" create secret generic site-cache --from-literal=password=bench-only >/dev/null
peer_up="t=\$(date +%s%N) && docker build -q -t $peer_repo:\$t . >/dev/null && docker push -q $peer_repo:\$t >/dev/null && $KUBECTL apply --server-side -n $ns_peer -f $work/component.yaml >/dev/null && $KUBECTL rollout status -n $ns_peer statefulset/site-cache >/dev/null && sed \"s|image: .*$peer_repo:1.*|image: $peer_repo:\$t|\" $work/app.yaml | $KUBECTL apply --server-side -n $ns_peer -f - >/dev/null && $KUBECTL rollout status -n $ns_peer deployment/site >/dev/null"
paas_up="$PAAS up -q -n $ns_up"
sh -c "$paas_up"
sh -c "$peer_up"
hyperfine --warmup 1 --runs "$RUNS" --export-json "$work/up.json" \
    --prepare "date +%s%N > $work/site/dist/stamp.txt" -n "paas up (site + redis)" "$paas_up" \
    -n "kubectl pipeline" "sh -c '$peer_up'" >&2
cd - >/dev/null

# ------------------------------------------------------------------------------ backup, restore
if [ "${PAAS_TEST_REAL_NODE:-0}" != 1 ]; then
    echo "backup/restore: skipped, no real node (${PAAS_TEST_REAL_NODE_SKIP:-})" >&2
    python3 - "$work/up.json" <<'PY'
import json, sys
r = [x["median"] for x in json.load(open(sys.argv[1]))["results"]]
print(f"up:      paas {r[0]*1000:7.0f} ms   kubectl pipeline {r[1]*1000:7.0f} ms   ratio {r[0]/r[1]:.2f}x")
PY
    exit 0
fi
"$KUBECTL" create namespace "$ns_real" >/dev/null
"$KUBECTL" annotate namespace "$ns_real" >/dev/null \
    scheduler.alpha.kubernetes.io/node-selector=paas.dev/real=true \
    'scheduler.alpha.kubernetes.io/defaultTolerations=[{"key":"paas.dev/real","operator":"Exists","effect":"NoSchedule"}]'
site "$work/real" "bench-real-$suffix" "$PAAS_TEST_BASE_NGINX"
cat >> "$work/real/paas.toml" <<EOF

[components.cache]
kind = "redis"
image = "$PAAS_TEST_REDIS_IMAGE"
storage = "1Gi"

[components.db]
kind = "postgres"
version = "15"
image = "$PAAS_TEST_POSTGRES_IMAGE"
storage = "1Gi"
EOF
cd "$work/real"
"$PAAS" up -q -n "$ns_real" --timeout 5m
k() { "$KUBECTL" -n "$ns_real" "$@"; }
rows=$((MB * 1024))   # rows of 1 KiB
# random values (base64 of /dev/urandom, 1 KiB a key), so the dump is as large as the data
k exec site-cache-0 -- sh -c "head -c $((rows * 768)) /dev/urandom | base64 -w 1024 | awk '{ printf \"*3\\r\\n\$3\\r\\nSET\\r\\n\$%d\\r\\nk%d\\r\\n\$%d\\r\\n%s\\r\\n\", length(\"k\" NR), NR, length(\$0), \$0 }' | REDISCLI_AUTH=\$REDIS_PASSWORD redis-cli --no-auth-warning --pipe" >/dev/null
k exec site-db-0 -- sh -c "psql -q -U app -d app -c \"CREATE TABLE bench AS SELECT i, (SELECT string_agg(md5(random()::text || i || j), '') FROM generate_series(1, 32) j) AS text FROM generate_series(1, $rows) i\"" >/dev/null
spec() {  # kind field: the script in the catalog
    python3 -c "import tomllib,sys; print(tomllib.load(open('$repo/packs/_components/$1/component.toml','rb'))['backup']['$2'])"
}
results=()
for c in cache:redis:site-cache-0:redis db:postgres:site-db-0:postgres; do
    IFS=: read -r name kind pod container <<<"$c"
    dump=$(spec "$kind" dump); restore=$(spec "$kind" restore)
    printf '%s\n' "$dump" > "$work/$name-dump.sh"; printf '%s\n' "$restore" > "$work/$name-restore.sh"
    "$PAAS" backup "$name" -q -n "$ns_real" -o "$work/$name.paas" --force
    size=$(stat -c %s "$work/$name.paas")
    hyperfine --warmup 1 --runs "$RUNS" --export-json "$work/$name-backup.json" \
        -n "paas backup $name" "$PAAS backup $name -q -n $ns_real -o $work/$name.paas --force" \
        -n "kubectl exec ($kind dump)" "sh -c '$KUBECTL -n $ns_real exec $pod -c $container -- sh -c \"\$(cat $work/$name-dump.sh)\" > $work/$name.kubectl'" >&2
    hyperfine --warmup 1 --runs "$RUNS" --export-json "$work/$name-restore.json" \
        -n "paas restore $name" "$PAAS restore $name $work/$name.paas --yes -q -n $ns_real" \
        -n "kubectl exec -i ($kind restore)" "sh -c '$KUBECTL -n $ns_real exec -i $pod -c $container -- sh -c \"\$(cat $work/$name-restore.sh)\" < $work/$name.paas'" >&2
    results+=("$name|$kind|$size|$work/$name-backup.json|$work/$name-restore.json")
done
cd - >/dev/null
python3 - "$work/up.json" "${results[@]}" <<'PY'
import json, sys
def med(path):
    return [x["median"] for x in json.load(open(path))["results"]]
r = med(sys.argv[1])
print(f"up:      paas {r[0]*1000:7.0f} ms   kubectl pipeline {r[1]*1000:7.0f} ms   ratio {r[0]/r[1]:.2f}x")
for row in sys.argv[2:]:
    name, kind, size, b, rs = row.split("|")
    mb = int(size) / 1e6
    for what, path in (("backup", b), ("restore", rs)):
        p, k = med(path)
        print(f"{what:8} {kind:8} {mb:6.1f} MB: paas {p:6.2f} s ({mb/p:6.1f} MB/s)   kubectl exec {k:6.2f} s ({mb/k:6.1f} MB/s)   ratio {p/k:.2f}x")
PY
