#!/usr/bin/env bash
# prometheus-operator's CustomResourceDefinitions on the test platform's apiserver, for the second phase of
# tests/test-all.sh (the `operator::` tests). They come from the operator's Go module as published
# (example/prometheus-operator-crd/ of github.com/prometheus-operator/prometheus-operator, `go mod download`, the
# zip checked by the Go checksum database), never from hand-written copies, and are cached OUTSIDE the repository
# under ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/prometheus-operator-crd-<version>/. Only the two kinds paas uses
# are installed: ServiceMonitor (which paas writes) and Prometheus (whose selectors it reads).
#   operator-crds.sh install   applies them (server-side) and waits until they are served
#   operator-crds.sh remove    deletes them and waits until they are gone (the main suite runs without them)
#   operator-crds.sh status    says whether they are installed (exit 0) or not (exit 1)
# Needs go and the platform's kubectl/KUBECONFIG (eval "$(tests/platform.sh env)"). Output goes to stderr.
set -euo pipefail
export PATH="/usr/local/go/bin:$PATH"
VERSION=v0.85.0   # the version the Go module proxy serves of the operator's main module
MODULE=github.com/prometheus-operator/prometheus-operator
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/prometheus-operator-crd-$VERSION
CRDS=(servicemonitors prometheuses)
KUBECTL=${PAAS_TEST_KUBECTL:-kubectl}
what=${1:?usage: operator-crds.sh install|remove|status}

fetch() {
  [ -f "$CACHE/.complete" ] && return
  local dir
  dir=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "$MODULE@$VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir/example/prometheus-operator-crd" ] || { echo "operator-crds.sh: no example/prometheus-operator-crd in $dir" >&2; exit 1; }
  rm -rf "$CACHE" && mkdir -p "$CACHE"
  for crd in "${CRDS[@]}"; do cp "$dir/example/prometheus-operator-crd/monitoring.coreos.com_$crd.yaml" "$CACHE/"; done
  touch "$CACHE/.complete"
}

case $what in
  install)
    fetch
    for crd in "${CRDS[@]}"; do
      "$KUBECTL" apply --server-side --force-conflicts -f "$CACHE/monitoring.coreos.com_$crd.yaml" >&2
    done
    # `kubectl wait` fails on a CRD whose status has no conditions yet: poll instead
    for crd in "${CRDS[@]}"; do
      for i in $(seq 1 300); do
        [ "$("$KUBECTL" get "crd/$crd.monitoring.coreos.com" \
          -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)" = True ] && break
        [ "$i" -lt 300 ] || { echo "operator-crds.sh: $crd not Established after 60s" >&2; exit 1; }
        sleep 0.2
      done
    done
    # discovery may lag the Established condition by a moment
    for _ in $(seq 1 50); do
      "$KUBECTL" get --raw /apis/monitoring.coreos.com/v1 2>/dev/null | grep -q '"servicemonitors"' && break
      sleep 0.2
    done
    echo "[operator-crds] prometheus-operator $VERSION CRDs installed: ${CRDS[*]}" >&2 ;;
  remove)
    for crd in "${CRDS[@]}"; do
      "$KUBECTL" delete --ignore-not-found --wait=true --timeout=120s "crd/$crd.monitoring.coreos.com" >&2
    done
    for _ in $(seq 1 50); do
      "$KUBECTL" get --raw /apis/monitoring.coreos.com/v1 >/dev/null 2>&1 || break
      sleep 0.2
    done
    echo "[operator-crds] prometheus-operator CRDs removed" >&2 ;;
  status)
    if "$KUBECTL" get crd servicemonitors.monitoring.coreos.com >/dev/null 2>&1; then
      echo "[operator-crds] installed" >&2
    else
      echo "[operator-crds] not installed" >&2; exit 1
    fi ;;
  *) echo "operator-crds.sh: unknown command $what (install, remove or status)" >&2; exit 2 ;;
esac
