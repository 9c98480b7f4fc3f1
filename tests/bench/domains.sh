#!/usr/bin/env bash
# Benchmark of `paas domains` checking 10 hosts against local DNS servers, side by side with
# `dig` asking for the same records one after the other:
#   paas domains                       (reads the Ingress, finds the zone's name servers, asks
#                                       the authoritative server and the resolver about each host)
#   vs  dig A, AAAA and CNAME of each host at the resolver and at the authoritative server
#       (60 dig processes, one after the other: what paas asks, without finding the servers)
#   and dig A of each host at both (20 processes: the least a script checks)
# The servers: NSD (authoritative for bench.test) on 127.54.0.1:53 and Unbound (recursive, a stub
# zone to NSD, every other name refused) on 127.54.0.2:53; the Ingress is applied to the test
# cluster and its status set as an ingress controller would. Prints medians and ratios.
#
#   bash tests/platform.sh up && eval "$(bash tests/platform.sh env)" && tests/bench/domains.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PAAS_TEST_REGISTRY:?run: eval \"\$(tests/platform.sh env)\"}"
for tool in hyperfine dig; do
    command -v "$tool" >/dev/null || { echo "error: needs $tool (apt-get install hyperfine dnsutils)" >&2; exit 1; }
done
NSD=$(command -v nsd || echo /usr/sbin/nsd)
UNBOUND=$(command -v unbound || echo /usr/sbin/unbound)
[ -x "$NSD" ] && [ -x "$UNBOUND" ] || { echo "error: needs nsd and unbound (apt-get install nsd unbound)" >&2; exit 1; }
RUNS=${RUNS:-20}
if [ -z "${PAAS:-}" ]; then cargo build --release --locked --quiet; PAAS=$PWD/target/release/paas; fi
KUBECTL=${PAAS_TEST_KUBECTL:-kubectl}
AUTH=127.54.0.1
RESOLVER=127.54.0.2
ZONE=bench.test
work=$(mktemp -d)
ns=bench-domains-$(date +%s)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    "$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

hosts=()
records=""
for i in $(seq 1 10); do
    hosts+=("h$i.$ZONE")
    records+="h$i 300 A 203.0.113.50"$'\n'
done

cat >"$work/zone" <<EOF
\$ORIGIN $ZONE.
\$TTL 3600
@ SOA ns1 hostmaster 1 3600 600 86400 3600
@ NS ns1
ns1 A $AUTH
$records
EOF
cat >"$work/nsd.conf" <<EOF
server:
  ip-address: $AUTH
  port: 53
  username: ""
  chroot: ""
  zonesdir: "$work"
  database: ""
  pidfile: "$work/nsd.pid"
  xfrdfile: "$work/xfrd.state"
  zonelistfile: "$work/zone.list"
  logfile: "$work/nsd.log"
  server-count: 1
remote-control:
  control-enable: no
zone:
  name: $ZONE
  zonefile: zone
EOF
cat >"$work/unbound.conf" <<EOF
server:
  interface: $RESOLVER
  port: 53
  username: ""
  chroot: ""
  directory: "$work"
  pidfile: "$work/unbound.pid"
  use-syslog: no
  logfile: "$work/unbound.log"
  module-config: "iterator"
  do-not-query-localhost: no
  do-ip6: no
  num-threads: 1
  qname-minimisation: no
  access-control: 127.0.0.0/8 allow
  local-zone: "." refuse
  local-zone: "test." nodefault
  local-zone: "$ZONE." transparent
stub-zone:
  name: "$ZONE."
  stub-addr: $AUTH
  stub-prime: no
EOF
"$NSD" -d -c "$work/nsd.conf" >/dev/null 2>&1 & pids+=($!)
"$UNBOUND" -d -c "$work/unbound.conf" >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 1 100); do
    dig +short +time=1 +tries=1 @"$RESOLVER" "h1.$ZONE" A 2>/dev/null | grep -q 203.0.113.50 && break
    sleep 0.1
done

# The app: a static site with the 10 hosts, rendered and applied; the Ingress gets its address.
cp -r tests/fixtures/projects/static-dist "$work/site"
cd "$work/site"
"$PAAS" init --yes -q --name site --registry "$PAAS_TEST_REGISTRY/$ns" --host "h1.$ZONE"
list=$(printf '"%s", ' "${hosts[@]}")
sed -i "s/^host = \"h1.$ZONE\"/hosts = [${list%, }]/" paas.toml
"$KUBECTL" create namespace "$ns" >/dev/null
"$PAAS" render -q -n "$ns" --image 127.0.0.1:5000/bench/site:1 | "$KUBECTL" apply -n "$ns" -f - >/dev/null
"$KUBECTL" -n "$ns" patch ingress site --subresource=status --type=merge \
    -p '{"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.50"}]}}}' >/dev/null
export PAAS_DNS_RESOLVERS=$RESOLVER
"$PAAS" domains -n "$ns" >"$work/domains.txt" || { cat "$work/domains.txt"; exit 1; }

full="" short=""
for host in "${hosts[@]}"; do
    for server in "$RESOLVER" "$AUTH"; do
        for type in A AAAA CNAME; do full+="dig +short @$server $host $type >/dev/null; "; done
        short+="dig +short @$server $host A >/dev/null; "
    done
done

hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/domains.json" \
    -n "paas domains (10 hosts)" "$PAAS domains -n $ns" \
    -n "dig x60 (A, AAAA, CNAME at both), one after the other" "sh -c '$full'" \
    -n "dig x20 (A at both), one after the other" "sh -c '$short'" >&2

python3 - "$work/domains.json" <<'PY'
import json, sys
paas, full, short = [r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]]
print(f"paas domains {paas:6.1f} ms   dig x60 one after the other {full:6.1f} ms   ratio {paas/full:.2f}x")
print(f"paas domains {paas:6.1f} ms   dig x20 one after the other {short:6.1f} ms   ratio {paas/short:.2f}x")
PY
