#!/usr/bin/env bash
# The paas test platform: Docker Engine, two OCI registries and a Kubernetes control plane with kwok nodes
# and one real node (kubelet, containerd, CNI, kube-proxy, kube-router, CoreDNS; tests/platform/node.sh),
# all on this host. See tests/PLATFORM.md.
#
#   tests/platform.sh up       install what is missing, start what is not running (idempotent)
#   tests/platform.sh env      print `export NAME=value` lines for the tests:  eval "$(tests/platform.sh env)"
#   tests/platform.sh status   say what runs (and check the cluster answers)
#   tests/platform.sh down     stop only what `up` started
#
# Only `env` writes to stdout; everything else goes to stderr.
# State (pids, logs, configs, registry storage, kwok workdir): ${PAAS_TEST_STATE:-/tmp/paas-test-platform}
# Caches (root tarballs, built cluster binaries): ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${PAAS_TEST_STATE:-/tmp/paas-test-platform}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
DOCKER_SOCK=/var/run/docker.sock
export DOCKER_HOST=unix://$DOCKER_SOCK
REGISTRY_ADDR=127.0.0.1:5000
AUTH_REGISTRY_ADDR=127.0.0.1:5001
AUTH_USER=paas-tester
CLUSTER_NAME=paas-test
export KWOK_WORKDIR=$STATE/kwok
KUBECONFIG_PATH=$KWOK_WORKDIR/clusters/$CLUSTER_NAME/kubeconfig.yaml
KWOK_VERSION=v0.8.0          # keep in sync with tests/cluster/build.sh
export PATH="/usr/local/go/bin:$PATH"
# Debian's CLI matches the 20.10 daemon; /usr/local/bin/docker (28.x) works too.
DOCKER=/usr/bin/docker; [ -x "$DOCKER" ] || DOCKER=docker

now() { date +%s.%N; }
log() { echo "[platform] $*" >&2; }
dur() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
die() { log "ERROR: $*"; exit 1; }

# The bin dir of the cluster binaries, as tests/cluster/build.sh computes it (without building).
cluster_bin() {
  local key
  key=$(cat "$HERE/cluster/go.sum" "$HERE/cluster/build.sh" | sha256sum | cut -c1-12)
  echo "${PAAS_TEST_CLUSTER_BIN:-$CACHE/cluster-$key}"
}

auth_password() {
  local f=$STATE/auth/password
  if [ ! -s "$f" ]; then
    mkdir -p "$STATE/auth"
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$f")
  fi
  cat "$f"
}

# pid files: $STATE/pids/<name> (only for processes that `up` started)
pid_alive() { local p; p=$(cat "$STATE/pids/$1" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
start_bg() {  # name logfile cmd...
  local name=$1 logf=$2; shift 2
  mkdir -p "$STATE/pids"
  setsid "$@" >>"$logf" 2>&1 </dev/null 9>&- &   # fd 9 is the state lock: not for daemons
  echo $! > "$STATE/pids/$name"
}
stop_pid() {  # name [timeout seconds]
  local name=$1 t=${2:-20} p i
  p=$(cat "$STATE/pids/$name" 2>/dev/null) || return 0
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    kill -TERM "$p" 2>/dev/null || true
    for ((i = 0; i < t * 10; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && { log "$name ($p) did not stop, killing"; kill -KILL "$p" 2>/dev/null || true; }
  fi
  rm -f "$STATE/pids/$name"
}
wait_for() {  # seconds description cmd...
  local t=$1 what=$2 i; shift 2
  for ((i = 0; i < t * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  log "timed out after ${t}s waiting for $what"
  return 1
}

# ---------------------------------------------------------------------------------------------- packages
PACKAGES=(docker.io docker-registry debootstrap jq apache2-utils busybox-static curl ca-certificates
  ipset openssl iproute2 runc)
phase_packages() {
  local t0 missing=() p
  t0=$(now)
  for p in "${PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "packages: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -q >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >&2
  fi
  [ -x /usr/local/go/bin/go ] || command -v go >/dev/null || die "go (>= 1.26) is needed to build the cluster binaries"
  log "packages: ready ($(dur "$t0"))"
}

# ------------------------------------------------------------------------------------------------ docker
docker_ok() { "$DOCKER" info >/dev/null 2>&1; }
phase_docker() {
  local t0; t0=$(now)
  if docker_ok; then
    log "docker: ready, already running ($(dur "$t0"))"; return
  fi
  mkdir -p "$STATE"
  [ -S "$DOCKER_SOCK" ] && ! pid_alive dockerd && rm -f "$DOCKER_SOCK"
  start_bg dockerd "$STATE/dockerd.log" /usr/sbin/dockerd --host "unix://$DOCKER_SOCK"
  wait_for 60 docker docker_ok || { tail -20 "$STATE/dockerd.log" >&2; die "dockerd did not come up (log: $STATE/dockerd.log)"; }
  log "docker: ready, started dockerd pid $(cat "$STATE/pids/dockerd") ($(dur "$t0"))"
}

# ------------------------------------------------------------------------------------------------ images
phase_images() {
  local t0; t0=$(now)
  DOCKER="$DOCKER" "$HERE/platform/images.sh" busybox debian nginx
  log "images: ready ($(dur "$t0"))"
}

# -------------------------------------------------------------------------------------------- registries
registry_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$1/v2/" 2>/dev/null || true; }
write_registry_config() {  # name addr auth(yes/no)
  local name=$1 addr=$2 auth=$3 dir=$STATE/registry-$1
  mkdir -p "$dir/data"
  {
    echo "# written by tests/platform.sh"
    echo "version: 0.1"
    echo "log: {level: info, formatter: text, fields: {service: registry-$name}}"
    echo "storage:"
    echo "  filesystem: {rootdirectory: $dir/data}"
    echo "  delete: {enabled: true}"
    echo "  maintenance: {uploadpurging: {enabled: false}}"
    echo "http:"
    echo "  addr: $addr"
    echo "  secret: paas-test-$name"
    echo "  headers: {X-Content-Type-Options: [nosniff]}"
    if [ "$auth" = yes ]; then
      echo "auth:"
      echo "  htpasswd: {realm: paas-test-registry, path: $STATE/auth/htpasswd}"
    fi
  } > "$dir/config.yml"
}
start_registry() {  # name addr auth expected-code
  local name=$1 addr=$2 auth=$3 want=$4 code
  code=$(registry_code "$addr")
  if [ "$code" = "$want" ]; then echo "already running"; return; fi
  [ "$code" = 000 ] || die "registry-$name: $addr answers HTTP $code, expected $want (someone else's service?)"
  write_registry_config "$name" "$addr" "$auth"
  start_bg "registry-$name" "$STATE/registry-$name/registry.log" /usr/bin/docker-registry serve "$STATE/registry-$name/config.yml"
  for _ in $(seq 1 150); do [ "$(registry_code "$addr")" = "$want" ] && break; sleep 0.2; done
  [ "$(registry_code "$addr")" = "$want" ] || { tail -20 "$STATE/registry-$name/registry.log" >&2; die "registry-$name did not come up"; }
  echo "started pid $(cat "$STATE/pids/registry-$name")"
}
phase_registries() {
  local t0 pw r1 r2; t0=$(now)
  pw=$(auth_password)
  if [ ! -s "$STATE/auth/htpasswd" ] || ! htpasswd -vb "$STATE/auth/htpasswd" "$AUTH_USER" "$pw" >/dev/null 2>&1; then
    htpasswd -Bbc "$STATE/auth/htpasswd" "$AUTH_USER" "$pw" 2>/dev/null
  fi
  r1=$(start_registry open "$REGISTRY_ADDR" no 200)
  r2=$(start_registry auth "$AUTH_REGISTRY_ADDR" yes 401)
  log "registries: ready, $REGISTRY_ADDR $r1, $AUTH_REGISTRY_ADDR (htpasswd) $r2 ($(dur "$t0"))"
}

# ----------------------------------------------------------------------------------------------- cluster
kubectl_() { "$(cluster_bin)/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }
cluster_ok() { [ -s "$KUBECONFIG_PATH" ] && kubectl_ get --raw /readyz >/dev/null 2>&1; }

# kwok's default stages from the kwok module of the same version, with pod-ready restricted to pods without
# the fault label (custom Stages replace the defaults, see tests/cluster/stages.yaml).
default_stages() {
  local out=$1 dir s
  dir=$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK_VERSION
  [ -d "$dir/kustomize/stage" ] || (cd "$HERE/cluster" && go mod download sigs.k8s.io/kwok@$KWOK_VERSION >&2)
  : > "$out"
  for s in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
           pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    echo "---" >> "$out"
    if [ "$s" = pod/fast/pod-ready ]; then
      awk '{ print } /^    matchExpressions:$/ && !done {
              print "    - key: '"'"'.metadata.labels[\"paas.dev/test-fault\"]'"'"'"
              print "      operator: '"'"'DoesNotExist'"'"'"; done = 1 }' "$dir/kustomize/stage/$s.yaml" >> "$out"
    else
      cat "$dir/kustomize/stage/$s.yaml" >> "$out"
    fi
  done
  grep -q 'paas.dev/test-fault' "$out" || die "could not restrict kwok's pod-ready stage"
}

phase_cluster() {
  local t0 t1 bin cfg
  t0=$(now)
  bin=$(cluster_bin)
  if [ ! -f "$bin/.complete" ]; then
    log "cluster: building the control-plane binaries into $bin (cold: ~14 min on 2 cores; log $STATE/cluster-build.log)"
  fi
  mkdir -p "$STATE" "$CACHE"
  # one build at a time (flock), niced so that it shares the machine
  bin=$(flock "$CACHE/cluster-build.lock" nice -n 5 "$HERE/cluster/build.sh" 2>>"$STATE/cluster-build.log" | tail -n1) \
    || { tail -30 "$STATE/cluster-build.log" >&2; die "cluster binaries failed to build"; }
  log "cluster: binaries ready in $bin ($(dur "$t0"))"
  export PATH="$bin:$PATH"     # kwokctl runs `kubectl`; it must find ours, never download one
  # metrics-server: its own script and cache key, so it never invalidates the control-plane build
  local metrics
  metrics=$(flock "$CACHE/metrics-server-build.lock" nice -n 5 "$HERE/cluster/metrics-server.sh" 2>>"$STATE/cluster-build.log" | tail -n2) \
    || { tail -30 "$STATE/cluster-build.log" >&2; die "metrics-server failed to build"; }
  mkdir -p "$KWOK_WORKDIR"
  cfg=$KWOK_WORKDIR/paas-kwokctl.yaml
  sed -e "s#@BIN@#$bin#g" -e "s#@HERE@#$HERE/cluster#g" -e "s#@PKI@#$KWOK_WORKDIR/clusters/$CLUSTER_NAME/pki#g" \
      -e "s#@METRICS_SERVER@#$(echo "$metrics" | head -n1)#g" -e "s#@METRICS_SERVER_MANIFESTS@#$(echo "$metrics" | tail -n1)#g" \
      "$HERE/cluster/kwok.yaml.in" > "$cfg.new"
  if cluster_ok; then
    # a running cluster is kept unless this script created it from another configuration (other binaries,
    # flags or stages): then it is created again
    if [ ! -f "$STATE/started/cluster" ] || cmp -s "$cfg.new" "$cfg"; then
      rm -f "$cfg.new"; log "cluster: ready, already running ($(dur "$t0"))"; return
    fi
    log "cluster: its configuration changed ($cfg), creating it again"
    node_stop quiet
  fi
  mv "$cfg.new" "$cfg"
  log "cluster: metrics-server ready in $(dirname "$(echo "$metrics" | head -n1)") ($(dur "$t0"))"
  t1=$(now)
  default_stages "$KWOK_WORKDIR/paas-default-stages.yaml"
  local cfgs=(-c "$cfg" -c "$HERE/cluster/stages.yaml" -c "$KWOK_WORKDIR/paas-default-stages.yaml")
  kwokctl --name "$CLUSTER_NAME" delete cluster >/dev/null 2>&1 || true
  if kwokctl --name "$CLUSTER_NAME" "${cfgs[@]}" --dry-run create cluster --runtime binary 2>&1 | grep -E '^# Download .*https?://' >&2; then
    die "kwokctl would download something; refusing"
  fi
  mkdir -p "$STATE/started"; touch "$STATE/started/cluster"
  kwokctl --name "$CLUSTER_NAME" "${cfgs[@]}" create cluster --runtime binary --kubeconfig= \
    --wait 3m --timeout 6m >>"$STATE/kwokctl.log" 2>&1 9>&- \
    || { tail -30 "$STATE/kwokctl.log" >&2; die "kwokctl create cluster failed (log $STATE/kwokctl.log)"; }
  log "cluster: control plane up ($(dur "$t1"))"
  kubectl_ apply -f "$HERE/cluster/nodes.yaml" >/dev/null
  kubectl_ wait --for=condition=Ready node --all --timeout=90s >/dev/null \
    || die "nodes did not become Ready"
  # the default ServiceAccount must exist before pods can be created in "default"
  wait_for 30 sa kubectl_ -n default get serviceaccount default || true
  log "cluster: ready, kubeconfig $KUBECONFIG_PATH ($(dur "$t0"))"
}

# ---------------------------------------------------------------------------------------------- real node
# shellcheck source=tests/platform/node.sh
. "$HERE/platform/node.sh"
# shellcheck source=tests/platform/volumes.sh
. "$HERE/platform/volumes.sh"

# ------------------------------------------------------------------------------------------------ verbs
# one `up`/`down` at a time (two test runners may call `up` together)
lock_state() { mkdir -p "$STATE"; exec 9>"$STATE/.lock"; flock 9; }

cmd_up() {
  local t0; t0=$(now)
  mkdir -p "$STATE" "$CACHE"
  lock_state
  # PAAS_TEST_PHASES (debugging aid) runs a subset, e.g. "docker registries"
  for p in ${PAAS_TEST_PHASES:-packages docker images registries cluster volumes node}; do "phase_$p"; done
  log "up: done ($(dur "$t0")); use: eval \"\$($0 env)\""
}

cmd_env() {
  local bin; bin=$(cluster_bin)
  cat <<EOF
export KUBECONFIG=$KUBECONFIG_PATH
export DOCKER_HOST=unix://$DOCKER_SOCK
export PAAS_TEST_REGISTRY=$REGISTRY_ADDR
export PAAS_TEST_AUTH_REGISTRY=$AUTH_REGISTRY_ADDR
export PAAS_TEST_AUTH_USER=$AUTH_USER
export PAAS_TEST_AUTH_PASSWORD=$(auth_password)
export PAAS_TEST_KUBECTL=$bin/kubectl
export PAAS_TEST_BASE_NGINX=paas-test/nginx:1
export PAAS_TEST_BASE_BUSYBOX=paas-test/busybox:1
export PAAS_TEST_BASE_DEBIAN=paas-test/debian:bookworm
export PAAS_TEST_PLATFORM=1
export PATH=$bin:\$PATH
EOF
  node_env
}

cmd_status() {
  local rc=0 c
  mkdir -p "$STATE"
  who() { pid_alive "$1" && echo "started by platform.sh, pid $(cat "$STATE/pids/$1")" || echo "not started by platform.sh"; }
  if docker_ok; then log "docker: running ($(who dockerd)), $($DOCKER version -f '{{.Server.Version}}' 2>/dev/null)"
  else log "docker: NOT running"; rc=1; fi
  for i in debian:bookworm nginx:1 busybox:1; do
    if "$DOCKER" image inspect "paas-test/$i" >/dev/null 2>&1; then log "image paas-test/$i: present"
    else log "image paas-test/$i: missing"; rc=1; fi
  done
  c=$(registry_code "$REGISTRY_ADDR"); [ "$c" = 200 ] && log "registry $REGISTRY_ADDR: running ($(who registry-open))" || { log "registry $REGISTRY_ADDR: NOT running ($c)"; rc=1; }
  c=$(registry_code "$AUTH_REGISTRY_ADDR"); [ "$c" = 401 ] && log "registry $AUTH_REGISTRY_ADDR (auth): running ($(who registry-auth))" || { log "registry $AUTH_REGISTRY_ADDR: NOT running ($c)"; rc=1; }
  if [ -f "$(cluster_bin)/.complete" ]; then log "cluster binaries: built ($(cluster_bin))"
  else log "cluster binaries: not built ($(cluster_bin))"; rc=1; fi
  if cluster_ok; then
    log "cluster: running ($([ -f "$STATE/started/cluster" ] && echo "started by platform.sh" || echo external)), $(kubectl_ version -o json 2>/dev/null | jq -r .serverVersion.gitVersion)"
    kubectl_ get nodes --no-headers 2>/dev/null | sed 's/^/[platform]   node /' >&2 || true
    c=$(kubectl_ get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}' 2>/dev/null || true)
    case "$c" in
      True) log "metrics API: available (metrics-server)" ;;
      "") log "metrics API: none (a cluster created before metrics-server was added; down and up to get it)" ;;
      *) log "metrics API: registered, not available ($c); see $KWOK_WORKDIR/clusters/$CLUSTER_NAME/logs/metrics-server.log" ;;
    esac
  else log "cluster: NOT running"; rc=1; fi
  volumes_status || rc=1
  node_status || rc=1
  return $rc
}

cmd_down() {
  local t0; t0=$(now)
  lock_state
  volumes_down
  node_down
  if [ -f "$STATE/started/cluster" ]; then
    local bin; bin=$(cluster_bin)
    if [ -x "$bin/kwokctl" ]; then
      PATH="$bin:$PATH" kwokctl --name "$CLUSTER_NAME" delete cluster >>"$STATE/kwokctl.log" 2>&1 || log "kwokctl delete cluster failed (see $STATE/kwokctl.log)"
    fi
    rm -f "$STATE/started/cluster"
    log "cluster: stopped"
  fi
  for r in registry-open registry-auth; do
    if [ -f "$STATE/pids/$r" ]; then stop_pid "$r" 10; rm -rf "$STATE/$r/data"; log "$r: stopped"; fi
  done
  if [ -f "$STATE/pids/dockerd" ]; then stop_pid dockerd 30; log "docker: stopped dockerd"; fi
  log "down: done ($(dur "$t0"))"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  env) cmd_env ;;
  status) cmd_status ;;
  enforcer)
    case "${2:-}" in
      stop) enforcer_stop && log "network policies: NOT enforced (kube-router stopped, its rules removed)" ;;
      start) enforcer_start && log "network policies: enforced (kube-router, pid $(cat "$STATE/pids/kube-router"))" ;;
      *) echo "usage: $0 enforcer stop|start" >&2; exit 2 ;;
    esac ;;
  *) echo "usage: $0 up|down|env|status|enforcer stop|start" >&2; exit 2 ;;
esac
