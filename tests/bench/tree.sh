# shellcheck shell=bash
# Sourced by the benchmarks: builds the 25,000-file tree detection is measured on.
# big_tree DIR: a Vite SPA (the spa-vite fixture) with 20,000 files under node_modules/ and 5,000
# under .git/, which detection must not enter.
big_tree() {
    local site=$1 i j
    mkdir -p "$site/src" "$site/.git/objects"
    cp -r tests/fixtures/projects/spa-vite/. "$site/"
    for i in $(seq 0 199); do
        mkdir -p "$site/node_modules/pkg$i/lib"
        for j in $(seq 0 99); do : > "$site/node_modules/pkg$i/lib/f$j.js"; done
    done
    for i in $(seq 0 49); do
        mkdir -p "$site/.git/objects/$i"
        for j in $(seq 0 99); do : > "$site/.git/objects/$i/o$j"; done
    done
}
