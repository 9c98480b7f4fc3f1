#!/usr/bin/env bash
# Benchmarks of issue "paas init": detection on a tree with 25,000 files under node_modules/
# and .git/, and start-up (`paas --version`) side by side with `kubectl version --client`.
# Prints medians and ratios; it is not a test and asserts nothing but the targets it prints.
#
#   tests/bench/init.sh            (builds the release binary first)
#   PAAS=/path/to/paas KUBECTL=/path/to/kubectl tests/bench/init.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
if [ -z "${PAAS:-}" ]; then
    cargo build --release --locked --quiet
    PAAS=$PWD/target/release/paas
fi
KUBECTL=${KUBECTL:-$(command -v kubectl || true)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A Vite SPA with 20,000 files under node_modules/ and 5,000 under .git/.
. tests/bench/tree.sh
site=$work/site
big_tree "$site"
echo "tree: $(find "$site" -type f | wc -l) files" >&2

json=$work/results.json
args=(--warmup 5 --runs 40 -N --export-json "$json")
cmds=("$PAAS detect $site" "$PAAS --version")
[ -n "$KUBECTL" ] && cmds+=("$KUBECTL version --client")
hyperfine "${args[@]}" "${cmds[@]}" >&2

python3 - "$json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
median = {r["command"]: r["median"] * 1000 for r in results}
names = list(median)
detect, version = median[names[0]], median[names[1]]
print(f"paas detect (25k-file tree)   median {detect:7.2f} ms   target <= 50 ms   {'ok' if detect <= 50 else 'MISSED'}")
print(f"paas --version                median {version:7.2f} ms   target <= 5 ms    {'ok' if version <= 5 else 'MISSED'}")
if len(names) > 2:
    kubectl = median[names[2]]
    print(f"kubectl version --client      median {kubectl:7.2f} ms")
    print(f"ratio paas --version / kubectl version --client = {version / kubectl:.3f}x")
PY
