# shellcheck shell=bash
# The test platform's real node, sourced by tests/platform.sh (which defines STATE, CACHE, HERE, log, dur,
# die, now, start_bg, stop_pid, pid_alive, wait_for, kubectl_, cluster_bin, KWOK_WORKDIR, CLUSTER_NAME,
# REGISTRY_ADDR). A kubelet with containerd (Debian's runc), the CNI bridge, kube-proxy (iptables),
# kube-router (NetworkPolicy only) and CoreDNS (a hostNetwork pod on the node), beside the kwok nodes.
# See tests/PLATFORM.md, "The real node".
#
# The node is named after the host ($(hostname), which must resolve: the apiserver dials a kubelet by its
# Hostname address, as it must for the kwok nodes), registers with the taint paas.dev/real=true:NoSchedule
# and the label paas.dev/real=true, and only pods that tolerate the taint land there (a namespace with the
# annotations of node_env's PAAS_TEST_REAL_NODE_* variables). Everything it writes lives under
# $STATE/node, except what the kubelet and containerd write to fixed paths (HOST_PATHS) and kernel state
# (cgroups, iptables chains, ipsets, the bridge, a few sysctls): `down` removes or restores all of it.

NODE=$STATE/node
NODE_CGROUP=paas-real
NODE_BRIDGE=paasbr0
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16     # kwok.yaml.in gives the apiserver the same range
CLUSTER_DNS=10.96.0.10
NODE_LABEL=paas.dev/real
IMAGES_PREFIX=$REGISTRY_ADDR/paas-test
# written by the kubelet, containerd, CNI and kube-router to paths that cannot be configured; removed by
# `down` when they did not exist before the node first started
HOST_PATHS=(/var/log/containers /var/lib/kubelet /var/lib/cni /var/lib/kube-router /run/containerd/runc
  /run/containerd/fifo /etc/cni /opt/cni)
# the kubelet sets these (its "kernel defaults"); `down` puts back what they were before the node started
NODE_SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.bridge.bridge-nf-call-iptables net.ipv4.ip_forward)

node_bin() {
  local key
  key=$(cat "$HERE/cluster/node-build.sh" "$HERE/cluster/go.sum" "$HERE/cluster/coredns/go.sum" \
    "$HERE/cluster/coredns/main.go" | sha256sum | cut -c1-12)
  echo "${PAAS_TEST_NODE_BIN:-$CACHE/node-$key}"
}
node_name() { hostname | tr '[:upper:]' '[:lower:]'; }
node_ip() {  # the first IPv4 address of the device of the default route
  local dev
  dev=$(ip -4 -o route show default 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit }}')
  [ -n "$dev" ] && ip -4 -o addr show dev "$dev" | awk '{split($4, a, "/"); print a[1]; exit}'
}
kubelet_addr() { getent ahostsv4 "$(node_name)" 2>/dev/null | awk 'NR == 1 { print $1 }'; }
cgroup_v2() { [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; }
cgroup_dirs() {  # the node's cgroup (one per v1 controller hierarchy)
  if cgroup_v2; then echo "/sys/fs/cgroup/$NODE_CGROUP"; return; fi
  local c
  for c in /sys/fs/cgroup/*/; do
    c=${c%/}; [ -L "$c" ] && continue
    case ${c##*/} in unified) continue ;; esac
    echo "$c/$NODE_CGROUP"
  done
}

# Why this host cannot run the node (empty when it can). Only what the host lacks counts here; a node that
# fails for any other reason makes `up` fail.
node_cannot() {
  local name ip c
  if [ "${PAAS_TEST_REAL_NODE:-}" = 0 ]; then echo "disabled by PAAS_TEST_REAL_NODE=0"; return; fi
  [ "$(id -u)" = 0 ] || { echo "the node needs root (cgroups, iptables, network namespaces)"; return; }
  name=$(node_name)
  [[ $name =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || { echo "the host name '$name' is not a valid node name"; return; }
  [ -n "$(kubelet_addr)" ] || { echo "the host name '$name' does not resolve (getent ahostsv4 $name); add it to /etc/hosts"; return; }
  ip=$(node_ip); [ -n "$ip" ] || { echo "no IPv4 address on the default route's device, for the node's InternalIP"; return; }
  if cgroup_v2; then
    for c in cpu memory pids; do
      grep -qw "$c" /sys/fs/cgroup/cgroup.controllers 2>/dev/null || { echo "cgroup v2 without the $c controller"; return; }
    done
  else
    for c in cpu cpuacct cpuset memory pids; do
      [ -d "/sys/fs/cgroup/$c" ] || { echo "cgroup v1 without the $c controller mounted at /sys/fs/cgroup/$c"; return; }
    done
  fi
  [ -x /usr/sbin/runc ] || { echo "no /usr/sbin/runc (Debian's runc package)"; return; }
  command -v iptables >/dev/null && iptables -S >/dev/null 2>&1 || { echo "iptables does not work here"; return; }
  command -v ipset >/dev/null || { echo "no ipset binary (Debian's ipset package), which kube-router needs"; return; }
  if ! ipset create paas-probe hash:ip >/dev/null 2>&1; then echo "ipset cannot create a set (no ip_set module): no NetworkPolicy enforcer backend"; return; fi
  if ! iptables -w -I INPUT -m set --match-set paas-probe src -j RETURN 2>/dev/null; then
    ipset destroy paas-probe 2>/dev/null; echo "iptables has no set match (xt_set): no NetworkPolicy enforcer backend"; return
  fi
  iptables -w -D INPUT -m set --match-set paas-probe src -j RETURN; ipset destroy paas-probe
  ip link add paas-probe0 type bridge 2>/dev/null || { echo "cannot create a bridge link (no bridge module)"; return; }
  ip link del paas-probe0
}

# ------------------------------------------------------------------------------------------ snapshots
# What the host looked like before the node first started; kept until `down`.
snapshot_host() {
  [ -f "$NODE/host/taken" ] && return
  mkdir -p "$NODE/host"
  local p s
  for p in "${HOST_PATHS[@]}"; do [ -e "$p" ] && echo "$p"; done > "$NODE/host/paths"
  for s in "${NODE_SYSCTLS[@]}"; do
    sysctl -n "$s" >/dev/null 2>&1 && echo "$s=$(sysctl -n "$s")"
  done > "$NODE/host/sysctls"
  nft list tables 2>/dev/null | sort > "$NODE/host/nft-tables" || true
  touch "$NODE/host/taken"
}

# --------------------------------------------------------------------------------------------- config
node_pki() {  # client and serving certificates signed by the cluster CA; kubeconfigs for node clients
  local pki=$KWOK_WORKDIR/clusters/$CLUSTER_NAME/pki dir=$NODE/pki name server
  name=$(node_name)
  server=$(kubectl_ config view --minify -o jsonpath='{.clusters[0].cluster.server}')
  mkdir -p "$dir"; chmod 700 "$dir"
  cp "$pki/ca.crt" "$dir/ca.crt"
  cert() {  # file subject [san]
    local f=$1 subj=$2 san=${3:-}
    openssl verify -CAfile "$pki/ca.crt" "$dir/$f.crt" >/dev/null 2>&1 && return
    openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/$f.key" -subj "$subj" -out "$dir/$f.csr" 2>/dev/null
    if [ -n "$san" ]; then printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" > "$dir/$f.ext"
    else printf 'extendedKeyUsage=clientAuth\n' > "$dir/$f.ext"; fi
    openssl x509 -req -in "$dir/$f.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
      -days 30 -extfile "$dir/$f.ext" -out "$dir/$f.crt" 2>/dev/null
    rm -f "$dir/$f.csr" "$dir/$f.ext"
  }
  cert kubelet-client "/O=system:nodes/CN=system:node:$name"
  cert kube-proxy "/CN=system:kube-proxy"
  cert kubelet-serving "/CN=$name" "DNS:$name,IP:$(kubelet_addr),IP:$(node_ip)"
  for f in kubelet-client kube-proxy; do
    cat > "$dir/$f.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: $CLUSTER_NAME, cluster: {server: "$server", certificate-authority: $dir/ca.crt}}]
users: [{name: $f, user: {client-certificate: $dir/$f.crt, client-key: $dir/$f.key}}]
contexts: [{name: $f, context: {cluster: $CLUSTER_NAME, user: $f}}]
current-context: $f
EOF
  done
}

node_config() {
  local bin=$1 name ip
  name=$(node_name); ip=$(node_ip)
  mkdir -p "$NODE"/{containerd/certs.d/"$REGISTRY_ADDR",cni/net.d,cni/ipam,kubelet/root,pod-logs,run,logs}
  cat > "$NODE/containerd/config.toml" <<EOF
# written by tests/platform/node.sh
version = 3
root = "$NODE/containerd/root"
state = "$NODE/run/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.blockfile",
  "io.containerd.snapshotter.v1.erofs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$NODE/run/containerd/containerd.sock"
[ttrpc]
  address = "$NODE/run/containerd/containerd.sock.ttrpc"
[plugins.'io.containerd.internal.v1.opt']
  path = "$NODE/containerd/opt"
[plugins.'io.containerd.nri.v1.nri']
  disable = true
  socket_path = "$NODE/run/nri/nri.sock"
[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "$IMAGES_PREFIX/pause:$(cat "$bin/pause.version")"
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = "$NODE/containerd/certs.d"
[plugins.'io.containerd.cri.v1.runtime']
  netns_mounts_under_state_dir = true
  # no CAP_SYS_RESOURCE on some VMs: the pause container and Guaranteed pods ask for negative scores
  restrict_oom_score_adj = true
  cdi_spec_dirs = []
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["$bin/cni"]
    conf_dir = "$NODE/cni/net.d"
  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
      BinaryName = "/usr/sbin/runc"
      Root = "$NODE/run/runc"
      SystemdCgroup = false
[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
EOF
  cat > "$NODE/containerd/certs.d/$REGISTRY_ADDR/hosts.toml" <<EOF
server = "http://$REGISTRY_ADDR"
[host."http://$REGISTRY_ADDR"]
  capabilities = ["pull", "resolve"]
EOF
  cat > "$NODE/cni/net.d/10-paas.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "paas-real",
  "plugins": [
    {"type": "bridge", "bridge": "$NODE_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$NODE/cni/ipam",
              "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat > "$NODE/kubelet/config.yaml" <<EOF
# written by tests/platform/node.sh
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupsPerQOS: true
cgroupRoot: /$NODE_CGROUP
enforceNodeAllocatable: [pods]
failSwapOn: false
protectKernelDefaults: false
containerRuntimeEndpoint: unix://$NODE/run/containerd/containerd.sock
podLogsDir: $NODE/pod-logs
address: $(kubelet_addr)
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: $NODE/pki/ca.crt}}
authorization: {mode: Webhook}
tlsCertFile: $NODE/pki/kubelet-serving.crt
tlsPrivateKeyFile: $NODE/pki/kubelet-serving.key
registerWithTaints: [{key: $NODE_LABEL, value: "true", effect: NoSchedule}]
clusterDNS: [$CLUSTER_DNS]
clusterDomain: cluster.local
evictionHard: {memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
serializeImagePulls: false
maxPods: 40
EOF
  cat > "$NODE/kube-proxy.yaml" <<EOF
# written by tests/platform/node.sh
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
hostnameOverride: $name
clientConnection: {kubeconfig: $NODE/pki/kube-proxy.kubeconfig}
clusterCIDR: $POD_CIDR
detectLocalMode: ClusterCIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# leave the host's conntrack sysctls alone
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {localhostNodePorts: false}
nodePortAddresses: [$ip/32]
EOF
  : "$name"
}

# ------------------------------------------------------------------------------------------- images
# pause and CoreDNS as images FROM scratch, and the client image, pushed to the open registry (its storage
# goes with `down`, so they are pushed again whenever the registry lacks them).
node_images() {
  local bin=$1 pause_v coredns_v ctx
  pause_v=$(cat "$bin/pause.version"); coredns_v=$(cat "$bin/coredns.version")
  DOCKER="$DOCKER" "$HERE/platform/images.sh" client redis postgres mongo nginx-clients
  push_scratch() {  # name tag binary user entrypoint-json
    local ref=$IMAGES_PREFIX/$1:$2
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$REGISTRY_ADDR/v2/paas-test/$1/manifests/$2")" = 200 ] && "$DOCKER" image inspect "$ref" >/dev/null 2>&1; then return; fi
    ctx=$(mktemp -d); cp "$3" "$ctx/$1"
    printf 'FROM scratch\nCOPY %s /%s\nUSER %s\nENTRYPOINT %s\n' "$1" "$1" "$4" "$5" > "$ctx/Dockerfile"
    "$DOCKER" build -q -t "$ref" "$ctx" >/dev/null; rm -rf "$ctx"
    "$DOCKER" push "$ref" >/dev/null
  }
  push_scratch pause "$pause_v" "$bin/bin/pause" 65535 '["/pause"]'
  push_scratch coredns "$coredns_v" "$bin/bin/coredns" 65532 '["/coredns"]'
  # the local images pods on the node run (the components' stand-ins among them), pushed when the registry
  # lacks them or holds another build
  local image id
  for image in client:1 redis:7 postgres:15 mongo:7 busybox:1; do
    id=$("$DOCKER" image inspect -f '{{.Id}}' "paas-test/$image")
    if [ "$("$DOCKER" image inspect -f '{{.Id}}' "$IMAGES_PREFIX/$image" 2>/dev/null)" != "$id" ] || \
       ! curl -sf -o /dev/null -m 5 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
         "http://$REGISTRY_ADDR/v2/paas-test/${image%%:*}/manifests/${image#*:}"; then
      "$DOCKER" tag "paas-test/$image" "$IMAGES_PREFIX/$image" && "$DOCKER" push "$IMAGES_PREFIX/$image" >/dev/null
    fi
  done
}

# ------------------------------------------------------------------------------------------ enforcer
# kube-router as the NetworkPolicy firewall only. `platform.sh enforcer stop` stops it and removes its
# chains and sets (as a network plugin that ignores policies leaves the node), `enforcer start` starts it
# again: the test of `paas access check`'s "not enforced" verdict uses both.
enforcer_start() {  # [bin]
  local bin=${1:-$(node_bin)}
  policies_enforced && return 0
  start_bg kube-router "$NODE/logs/kube-router.log" env PATH="$(dirname "$(command -v ipset)"):$PATH" "$bin/bin/kube-router" \
    --kubeconfig="$KUBECONFIG_PATH" --run-firewall=true --run-router=false --run-service-proxy=false \
    --enable-cni=false --hostname-override="$(node_name)" --service-cluster-ip-range="$SERVICE_CIDR" \
    --enable-ipv6=false --metrics-port=0 --health-port=0
  wait_for 60 "kube-router's firewall chains" policies_enforced \
    || { tail -20 "$NODE/logs/kube-router.log" >&2; die "kube-router did not program its chains (log $NODE/logs/kube-router.log)"; }
}

enforcer_stop() {
  local bin p
  bin=$(node_bin)
  stop_pid kube-router 20
  env PATH="$(dirname "$(command -v ipset)"):$PATH" "$bin/bin/kube-router" --cleanup-config >>"$NODE/logs/kube-router.log" 2>&1 || true
  # what the cleanup left: kube-router's chains in the filter table, then its sets
  for p in $(iptables -w -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-(ROUTER|NWPLCY|POD-FW|SRC)/ { print $2 }'); do
    iptables -w -S 2>/dev/null | awk -v c="$p" '$1 == "-A" && $0 ~ ("-j " c "( |$)") { $1 = "-D"; print }' \
      | while read -r rule; do eval "iptables -w $rule" 2>/dev/null || true; done
    iptables -w -F "$p" 2>/dev/null || true
  done
  for p in $(iptables -w -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-(ROUTER|NWPLCY|POD-FW|SRC)/ { print $2 }'); do
    iptables -w -X "$p" 2>/dev/null || true
  done
  for p in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-SRC|KUBE-DST|kube-router)'); do ipset destroy "$p" 2>/dev/null || true; done
  ! policies_enforced
}

# --------------------------------------------------------------------------------------------- state
node_ready() {
  [ "$(kubectl_ get node "$(node_name)" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}
policies_enforced() { pid_alive kube-router && iptables -w -S KUBE-ROUTER-FORWARD >/dev/null 2>&1; }
dns_ready() {
  [ "$(kubectl_ -n kube-system get deploy coredns -o jsonpath='{.status.readyReplicas}' 2>/dev/null)" = 1 ]
}
node_running() {
  local p
  for p in containerd kubelet kube-proxy kube-router; do pid_alive "$p" || return 1; done
  openssl verify -CAfile "$KWOK_WORKDIR/clusters/$CLUSTER_NAME/pki/ca.crt" "$NODE/pki/kubelet-client.crt" >/dev/null 2>&1 \
    && node_ready && policies_enforced && dns_ready
}

phase_node() {
  local t0 t1 bin reason name
  t0=$(now)
  rm -f "$STATE/node-skip"
  reason=$(node_cannot)
  if [ -n "$reason" ]; then
    pid_alive kubelet && node_stop     # e.g. PAAS_TEST_REAL_NODE=0 with a node running
    echo "$reason" > "$STATE/node-skip"
    log "node: SKIPPED, this host cannot run the real node: $reason (real-node tests will be reported as skipped)"
    return
  fi
  if node_running; then log "node: ready, already running ($(dur "$t0"))"; return; fi
  bin=$(node_bin)
  [ -f "$bin/.complete" ] || log "node: building kubelet, kube-proxy, containerd, CNI, kube-router, CoreDNS into $bin (cold: ~12 min on 2 cores; log $STATE/node-build.log)"
  bin=$(flock "$CACHE/node-build.lock" nice -n 5 "$HERE/cluster/node-build.sh" 2>>"$STATE/node-build.log" | tail -n1) \
    || { tail -30 "$STATE/node-build.log" >&2; die "the real node's binaries failed to build"; }
  log "node: binaries ready in $bin ($(dur "$t0"))"
  t1=$(now)
  node_images "$bin" 2>>"$STATE/node-images.log" || { tail -20 "$STATE/node-images.log" >&2; die "node: the pause, CoreDNS or client image failed (log $STATE/node-images.log)"; }
  log "node: pause, CoreDNS and client images in $IMAGES_PREFIX ($(dur "$t1"))"
  # a node left from another cluster (or half started): start from a clean host
  node_stop quiet
  t1=$(now)
  mkdir -p "$NODE"
  snapshot_host
  node_pki
  node_config "$bin"
  name=$(node_name)
  local d
  for d in $(cgroup_dirs); do
    mkdir -p "$d"
    if [ -f "$d/cpuset.cpus" ] && [ -z "$(cat "$d/cpuset.cpus")" ]; then
      cat "$(dirname "$d")/cpuset.cpus" > "$d/cpuset.cpus"; cat "$(dirname "$d")/cpuset.mems" > "$d/cpuset.mems"
    fi
  done
  if cgroup_v2; then echo "+cpu +memory +pids" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true; fi
  # Docker sets the FORWARD policy to DROP and bridged traffic goes through iptables: let pod traffic
  # through (appended, so that kube-router's jump at the top still decides first)
  iptables -w -C FORWARD -s "$POD_CIDR" -j ACCEPT 2>/dev/null || iptables -w -A FORWARD -s "$POD_CIDR" -j ACCEPT
  iptables -w -C FORWARD -d "$POD_CIDR" -j ACCEPT 2>/dev/null || iptables -w -A FORWARD -d "$POD_CIDR" -j ACCEPT
  log "node: configured, PKI from the cluster CA, cgroup /$NODE_CGROUP ($(dur "$t1"))"

  t1=$(now)
  # the runc shim is looked up in PATH
  start_bg containerd "$NODE/logs/containerd.log" env PATH="$bin/bin:$PATH" "$bin/bin/containerd" --config "$NODE/containerd/config.toml"
  wait_for 30 containerd "$bin/bin/ctr" --address "$NODE/run/containerd/containerd.sock" version \
    || { tail -20 "$NODE/logs/containerd.log" >&2; die "containerd did not start (log $NODE/logs/containerd.log)"; }
  log "node: containerd $("$bin/bin/containerd" --version | awk '{print $3}') started, pid $(cat "$STATE/pids/containerd") ($(dur "$t1"))"

  t1=$(now)
  start_bg kubelet "$NODE/logs/kubelet.log" "$bin/bin/kubelet" --config="$NODE/kubelet/config.yaml" \
    --kubeconfig="$NODE/pki/kubelet-client.kubeconfig" --root-dir="$NODE/kubelet/root" \
    --hostname-override="$name" --node-ip="$(node_ip)" --node-labels="$NODE_LABEL=true"
  wait_for 90 "node $name Ready" node_ready \
    || { tail -30 "$NODE/logs/kubelet.log" >&2; die "the kubelet did not register a Ready node (log $NODE/logs/kubelet.log)"; }
  kubectl_ uncordon "$name" >/dev/null    # a Node object left cordoned by an interrupted `down`
  log "node: kubelet started, node $name Ready, pid $(cat "$STATE/pids/kubelet") ($(dur "$t1"))"

  t1=$(now)
  start_bg kube-proxy "$NODE/logs/kube-proxy.log" "$bin/bin/kube-proxy" --config="$NODE/kube-proxy.yaml"
  wait_for 60 kube-proxy curl -sf -m 2 http://127.0.0.1:10256/healthz \
    || { tail -20 "$NODE/logs/kube-proxy.log" >&2; die "kube-proxy did not become healthy (log $NODE/logs/kube-proxy.log)"; }
  log "node: kube-proxy (iptables) started, pid $(cat "$STATE/pids/kube-proxy") ($(dur "$t1"))"

  t1=$(now)
  enforcer_start "$bin"
  log "node: kube-router (NetworkPolicy firewall) started, pid $(cat "$STATE/pids/kube-router") ($(dur "$t1"))"

  t1=$(now)
  local port
  port=$(kubectl_ config view --minify -o jsonpath='{.clusters[0].cluster.server}' | sed 's#.*:##')
  sed -e "s#@IMAGE@#$IMAGES_PREFIX/coredns:$(cat "$bin/coredns.version")#g" -e "s#@NODE_IP@#$(node_ip)#g" \
      -e "s#@API_PORT@#$port#g" -e "s#@CLUSTER_DNS@#$CLUSTER_DNS#g" -e "s#@NODE_LABEL@#$NODE_LABEL#g" \
      "$HERE/cluster/coredns.yaml" | kubectl_ apply -f - >/dev/null
  wait_for 90 "CoreDNS ready" dns_ready \
    || { kubectl_ -n kube-system describe pod -l k8s-app=kube-dns | tail -20 >&2; die "CoreDNS did not become ready"; }
  log "node: CoreDNS serving cluster.local on $CLUSTER_DNS ($(dur "$t1"))"
  log "node: ready, $name ($(node_ip)), pods $POD_CIDR, services $SERVICE_CIDR ($(dur "$t0"))"
}

# Stops the node's processes and undoes what it did to the host. `quiet`: no log lines (before a start).
# Best effort (a subshell without errexit): every step runs even when an earlier one found nothing to undo.
node_stop() (
  set +e +o pipefail
  local quiet=${1:-} name bin p
  name=$(node_name); bin=$(node_bin)
  say_() { [ -n "$quiet" ] || log "$*"; }
  # 1. let the kubelet tear its pods down (CNI DEL, unmounts): no new pods, delete the ones it runs
  if pid_alive kubelet && cluster_ok; then
    kubectl_ cordon "$name" >/dev/null 2>&1 || true
    kubectl_ delete pods -A --field-selector "spec.nodeName=$name" --grace-period=0 --force --wait=false >/dev/null 2>&1 || true
    for _ in $(seq 1 150); do
      [ -z "$("$bin/bin/ctr" --address "$NODE/run/containerd/containerd.sock" -n k8s.io tasks ls -q 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  # 2. the processes, by pid; then the Node object, so that a later start registers afresh
  for p in kube-router kube-proxy kubelet; do pid_alive "$p" && say_ "node: stopping $p"; stop_pid "$p" 20; done
  cluster_ok && kubectl_ delete node "$name" --ignore-not-found --wait=false >/dev/null 2>&1
  if [ -x "$bin/bin/kube-proxy" ] && [ -f "$NODE/kube-proxy.yaml" ]; then
    "$bin/bin/kube-proxy" --cleanup --config="$NODE/kube-proxy.yaml" >>"$NODE/logs/kube-proxy.log" 2>&1 || true
  fi
  if pid_alive containerd; then
    local ctr=("$bin/bin/ctr" --address "$NODE/run/containerd/containerd.sock" -n k8s.io) t
    for t in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks kill -s KILL "$t" >/dev/null 2>&1 || true; done
    sleep 0.5
    for t in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks rm -f "$t" >/dev/null 2>&1 || true; done
    say_ "node: stopping containerd"
  fi
  stop_pid containerd 20
  # shims that outlived containerd (they are started detached)
  pkill -KILL -f "containerd-shim-runc-v2 .*-address $NODE/run/containerd/containerd.sock" 2>/dev/null || true
  # 3. kernel and host state
  local m
  for m in $(awk -v n="$NODE/" 'index($2, n) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
  ip link del "$NODE_BRIDGE" 2>/dev/null || true
  for p in $(ip -o link show type veth 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//'); do
    [ "$(cat "/sys/class/net/$p/master/../name" 2>/dev/null)" = "$NODE_BRIDGE" ] && ip link del "$p" 2>/dev/null
  done
  iptables -w -D FORWARD -s "$POD_CIDR" -j ACCEPT 2>/dev/null || true
  iptables -w -D FORWARD -d "$POD_CIDR" -j ACCEPT 2>/dev/null || true
  purge_chains iptables; purge_chains ip6tables
  for p in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router|inet6:KUBE-)'); do ipset destroy "$p" 2>/dev/null || true; done
  local d
  for d in $(cgroup_dirs); do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  if [ -f "$NODE/host/taken" ]; then
    comm -13 "$NODE/host/nft-tables" <(nft list tables 2>/dev/null | sort) | while read -r _ fam tbl; do
      [ -z "$(nft list table "$fam" "$tbl" 2>/dev/null | grep -Ev '^\s*(table|chain|type|policy|\}|$)')" ] && nft delete table "$fam" "$tbl" 2>/dev/null
    done
    while IFS= read -r kv; do sysctl -q -w "$kv" >/dev/null 2>&1 || true; done < "$NODE/host/sysctls"
    for p in "${HOST_PATHS[@]}"; do grep -qxF "$p" "$NODE/host/paths" || rm -rf "$p"; done
  fi
  # shim sockets go to the fixed /run/containerd/s, shared with Docker's containerd: only dead ones
  if [ -d /run/containerd/s ]; then
    local live; live=$(ss -xlH 2>/dev/null | awk '{print $5}')
    for p in /run/containerd/s/*; do [ -S "$p" ] && ! grep -qxF "$p" <<<"$live" && rm -f "$p"; done
  fi
  rm -rf "$NODE"/{run,kubelet,containerd/root,cni/ipam,pod-logs,host}
)

# iptables chains the kubelet, kube-proxy, kube-router and the CNI portmap plugin create (no other
# Kubernetes runs on the host): the jumps to them, then the chains.
purge_chains() {
  local ipt=$1 t rule c
  command -v "$ipt" >/dev/null || return 0
  for t in filter nat mangle raw; do
    "$ipt" -w -t "$t" -S >/dev/null 2>&1 || continue
    "$ipt" -w -t "$t" -S | grep -E -- '-j (KUBE-|CNI-)' | grep -E '^-A (INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) ' \
      | sed 's/^-A /-D /' | while read -r rule; do eval "$ipt -w -t $t $rule" 2>/dev/null || true; done
    for c in $("$ipt" -w -t "$t" -S | awk '/^-N (KUBE-|CNI-)/ { print $2 }'); do "$ipt" -w -t "$t" -F "$c" 2>/dev/null || true; done
    for c in $("$ipt" -w -t "$t" -S | awk '/^-N (KUBE-|CNI-)/ { print $2 }'); do "$ipt" -w -t "$t" -X "$c" 2>/dev/null || true; done
  done
}

node_down() {
  local any=
  for p in containerd kubelet kube-proxy kube-router; do [ -f "$STATE/pids/$p" ] && any=1; done
  [ -n "$any" ] || [ -f "$NODE/host/taken" ] || return 0
  node_stop
  rm -rf "$NODE/host" "$STATE/node-skip"
  log "node: stopped, host state put back"
}

node_status() {
  local name reason
  name=$(node_name)
  if [ -s "$STATE/node-skip" ]; then log "real node: skipped, $(cat "$STATE/node-skip")"; return 0; fi
  if ! pid_alive kubelet; then log "real node: NOT running"; return 1; fi
  reason=
  node_ready || reason="not Ready"
  if [ -z "$reason" ]; then log "real node: $name Ready ($(kubectl_ get node "$name" -o jsonpath='{.status.nodeInfo.containerRuntimeVersion}'), $(kubectl_ get pods -A --field-selector "spec.nodeName=$name" --no-headers 2>/dev/null | wc -l) pods)"
  else log "real node: $name $reason"; fi
  if policies_enforced; then log "network policies: enforced (kube-router, pid $(cat "$STATE/pids/kube-router"))"
  else log "network policies: NOT enforced (kube-router not running or its chains missing)"; reason=${reason:-policies}; fi
  if dns_ready; then log "cluster DNS: CoreDNS ready on $CLUSTER_DNS"; else log "cluster DNS: CoreDNS NOT ready"; reason=${reason:-dns}; fi
  [ -z "$reason" ]
}

node_env() {
  if [ -s "$STATE/node-skip" ] || ! pid_alive kubelet; then
    local why
    why=$(cat "$STATE/node-skip" 2>/dev/null || echo "the real node is not running: tests/platform.sh up")
    echo "export PAAS_TEST_REAL_NODE=0"
    printf 'export PAAS_TEST_REAL_NODE_SKIP=%q\n' "$why"
    return
  fi
  cat <<EOF
export PAAS_TEST_REAL_NODE=1
export PAAS_TEST_REAL_NODE_NAME=$(node_name)
export PAAS_TEST_CLIENT_IMAGE=$IMAGES_PREFIX/client:1
export PAAS_TEST_REDIS_IMAGE=$IMAGES_PREFIX/redis:7
export PAAS_TEST_POSTGRES_IMAGE=$IMAGES_PREFIX/postgres:15
export PAAS_TEST_MONGO_IMAGE=$IMAGES_PREFIX/mongo:7
export PAAS_TEST_BUSYBOX_IMAGE=$IMAGES_PREFIX/busybox:1
export PAAS_TEST_BASE_NGINX_CLIENTS=paas-test/nginx-clients:1
export PAAS_TEST_CLUSTER_DNS=$CLUSTER_DNS
EOF
}
