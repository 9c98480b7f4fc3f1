#!/usr/bin/env bash
# Benchmark of `paas detect`: its time on each tree given (real projects, such as the largest one of
# a survey) and on the 25,000-file tree of tests/bench/tree.sh, side by side with the peers a user
# would otherwise pay for: `find TREE -type f` (one plain walk of the same tree, which enters
# node_modules/ and .git/ where detection does not) and `kubectl version --client` (the start-up of
# a typical Go CLI). Prints medians and ratios, and fails when a median of `paas detect` is over the
# 50 ms limit. The CPU time (user + system) is printed beside each median: on a loaded machine the
# wall time mostly measures the wait for a core.
#
#   tests/bench/detect.sh [TREE...]            (builds the release binary first)
#   PAAS=/path/to/paas RUNS=40 tests/bench/detect.sh /path/to/big/project
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v hyperfine >/dev/null || { echo "error: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
RUNS=${RUNS:-40}
LIMIT_MS=50
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
KUBECTL=${KUBECTL:-$(command -v kubectl || true)}
for tree in "$@"; do
    [ -d "$tree" ] || { echo "error: \`$tree\` is not a folder" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

. tests/bench/tree.sh
big_tree "$work/big"
trees=("$@" "$work/big")

# One hyperfine run per tree: paas detect (a tree where nothing fits still costs its walk, so a
# failing exit is timed too), then the plain walk of the same tree.
rows=()
for i in "${!trees[@]}"; do
    tree=${trees[$i]}
    files=$(find "$tree" -type f | wc -l)
    echo "tree $i: $tree ($files files)" >&2
    hyperfine -N -i --warmup 5 --runs "$RUNS" --export-json "$work/tree$i.json" \
        "$PAAS --no-config detect $tree" "find $tree -type f" >&2
    label=$tree
    [ "$tree" = "$work/big" ] && label="25k-file tree"
    rows+=("$work/tree$i.json|$label|$files")
done
floor=""
if [ -n "$KUBECTL" ]; then
    hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$work/floor.json" "$KUBECTL version --client" >&2
    floor=$work/floor.json
fi

python3 - "$LIMIT_MS" "$floor" "${rows[@]}" <<'PY'
import json, sys
limit, floor, rows = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
kubectl = json.load(open(floor))["results"][0]["median"] * 1000 if floor else None
missed = 0
for row in rows:
    path, label, files = row.split("|")
    results = json.load(open(path))["results"]
    detect, walk = (r["median"] * 1000 for r in results)
    cpu = (results[0]["user"] + results[0]["system"]) * 1000
    verdict = "ok" if detect <= limit else "MISSED"
    missed += detect > limit
    print(f"paas detect  {label} ({files} files)")
    print(f"  median {detect:7.2f} ms   limit <= {limit:.0f} ms   {verdict}   (cpu user+sys mean {cpu:.2f} ms)")
    print(f"  find -type f {walk:7.2f} ms   ratio paas/find = {detect / walk:.2f}x")
    if kubectl:
        print(f"  kubectl version --client {kubectl:7.2f} ms   ratio paas/kubectl = {detect / kubectl:.3f}x")
sys.exit(1 if missed else 0)
PY
