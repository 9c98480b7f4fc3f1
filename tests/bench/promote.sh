#!/usr/bin/env bash
# Benchmark of `paas promote` side by side with rebuilding and redeploying the same commit, on the
# test platform:
#   paas promote --from staging --to prod   (the staging release's digest deployed to prod: nothing
#                                           built or pushed; prod's registry differs, so the first
#                                           run copies the image by digest, later runs find every
#                                           blob there)
#   vs  paas up --env prod after removing the cached image (the same commit built again, pushed and
#       deployed: what a pipeline without promotion does per environment)
# Each run of either side deploys a new release to prod: the sides alternate the replica count, so
# nothing is ever "unchanged". The app has a name of its own, so removing its cached images
# touches no other image in the engine. Prints medians and the ratio.
#
#   bash tests/platform.sh up && eval "$(bash tests/platform.sh env)" && tests/bench/promote.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PAAS_TEST_REGISTRY:?run: eval \"\$(tests/platform.sh env)\"}"
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
RUNS=${RUNS:-10}
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
KUBECTL=${PAAS_TEST_KUBECTL:-kubectl}
work=$(mktemp -d)
suffix=$(date +%s)
app=promote-bench-$suffix
ns_staging=bench-promote-staging-$suffix ns_prod=bench-promote-prod-$suffix
cleanup() {
    "$KUBECTL" delete namespace "$ns_staging" "$ns_prod" --wait=false >/dev/null 2>&1 || true
    docker images -q --filter "label=app.kubernetes.io/name=$app" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# The app: a static site on the local nginx base image, committed (so both sides deploy one commit);
# staging pushes to the open registry, prod to another repository of it.
cp -r tests/fixtures/projects/static-dist "$work/site"
cd "$work/site"
echo "<h1>promote $suffix</h1>" > dist/index.html
"$PAAS" init --yes -q --name "$app" --registry "$PAAS_TEST_REGISTRY/bench-$suffix" --set "base_image=$PAAS_TEST_BASE_NGINX"
cat >> paas.toml <<TOML

[env.staging]
namespace = "$ns_staging"

[env.prod]
namespace = "$ns_prod"
registry = "$PAAS_TEST_REGISTRY/bench-$suffix-prod"
TOML
git init -q && git add -A && git -c user.email=bench@localhost -c user.name=bench commit -qm bench
"$PAAS" up -q --env staging
"$PAAS" promote -q --from staging --to prod

# Each run flips prod's replicas (1 ↔ 2) in the environment's section, so each deploy changes prod.
flip="sed -i 's/^replicas = 1\$/replicas = 9/; s/^replicas = 2\$/replicas = 1/; s/^replicas = 9\$/replicas = 2/' paas.toml"
grep -q '^replicas = ' paas.toml || sed -i "s|^namespace = \"$ns_prod\"|&\nreplicas = 1|" paas.toml
uncache="docker images -q --filter label=app.kubernetes.io/name=$app | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true"
hyperfine --runs "$RUNS" --export-json "$work/promote.json" \
    --prepare "$flip" -n "paas promote --from staging --to prod" "$PAAS promote -q --from staging --to prod" \
    --prepare "$flip; $uncache" -n "paas up --env prod (image rebuilt)" "$PAAS up -q --env prod" >&2

python3 - "$work/promote.json" <<'PY'
import json, sys
promote, rebuild = [r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]]
print(f"paas promote {promote:7.1f} ms   rebuild + paas up --env prod {rebuild:7.1f} ms   ratio {promote/rebuild:.2f}x")
PY
