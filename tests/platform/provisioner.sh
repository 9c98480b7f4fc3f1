#!/usr/bin/env bash
# The test platform's volume provisioner: what a cluster's storage driver does, for the default
# StorageClass `paas-test-local` only (tests/platform/volumes.sh creates it and starts this loop).
#
# Every second:
# - a Pending claim of that class with no volume gets a hostPath PersistentVolume `pvc-<claim uid>`
#   bound to it by claimRef (capacity and access modes as asked), its directory under $VOLUMES_DIR
#   created on first use (DirectoryOrCreate) and made writable for any user: hostPath volumes do not get
#   the pod's fsGroup, and components run as their image's user;
# - a volume it made whose claim is gone (Released or Failed) is deleted, with its directory: the class's
#   reclaim policy is Delete, as on most clusters.
# Claims of any other class are never touched, so they stay Pending with the PV controller's event
# (`storageclass.storage.k8s.io "x" not found`), as on a cluster without that class.
#
#   provisioner.sh KUBECTL KUBECONFIG VOLUMES_DIR
set -uo pipefail
KUBECTL=$1 KUBECONFIG_FILE=$2 VOLUMES_DIR=$3
CLASS=paas-test-local
PROVISIONER=paas.dev/test-hostpath
k() { "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=10s "$@"; }
log() { echo "$(date -u +%FT%TZ) $*"; }
mkdir -p "$VOLUMES_DIR"

provision() {
  local ns=$1 name=$2 uid=$3 size=$4 modes=$5 pv=pvc-$3 dir
  dir=$VOLUMES_DIR/$pv
  mkdir -p "$dir" && chmod 0777 "$dir"
  # shellcheck disable=SC2086
  if k create -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $pv
  labels: {paas-test/provisioned: "true"}
  annotations: {pv.kubernetes.io/provisioned-by: $PROVISIONER}
spec:
  capacity: {storage: "$size"}
  accessModes: [$modes]
  persistentVolumeReclaimPolicy: Delete
  storageClassName: $CLASS
  claimRef: {namespace: "$ns", name: "$name", uid: "$uid"}
  hostPath: {path: "$dir", type: DirectoryOrCreate}
YAML
  then log "provisioned $pv ($size) for $ns/$name"
  else log "could not create $pv for $ns/$name"
  fi
}

while true; do
  if claims=$(k get pvc -A -o json 2>/dev/null); then
    jq -r --arg class "$CLASS" '.items[]
      | select(.status.phase == "Pending" and .spec.storageClassName == $class and ((.spec.volumeName // "") == ""))
      | [.metadata.namespace, .metadata.name, .metadata.uid, .spec.resources.requests.storage,
         (.spec.accessModes | join(","))] | @tsv' <<<"$claims" |
      while IFS=$'\t' read -r ns name uid size modes; do
        k get pv "pvc-$uid" >/dev/null 2>&1 || provision "$ns" "$name" "$uid" "$size" "$modes"
      done
  fi
  if volumes=$(k get pv -l paas-test/provisioned=true -o json 2>/dev/null); then
    jq -r '.items[] | select(.status.phase == "Released" or .status.phase == "Failed") | .metadata.name' <<<"$volumes" |
      while read -r pv; do
        if k delete pv "$pv" --wait=false >/dev/null 2>&1; then
          rm -rf "${VOLUMES_DIR:?}/$pv"
          log "deleted $pv (its claim is gone)"
        fi
      done
  fi
  sleep 1
done
