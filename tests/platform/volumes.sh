# shellcheck shell=bash
# The test platform's storage, sourced by tests/platform.sh (which defines STATE, HERE, log, dur, now,
# start_bg, stop_pid, pid_alive, kubectl_, cluster_bin, KUBECONFIG_PATH): a default StorageClass
# `paas-test-local` and tests/platform/provisioner.sh, which gives each of its claims a hostPath volume
# under $STATE/volumes and deletes the volume when the claim goes. See tests/PLATFORM.md, "Volumes".

VOLUMES_DIR=$STATE/volumes

volumes_class() {
  kubectl_ apply -f - >/dev/null <<'YAML'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: paas-test-local
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: paas.dev/test-hostpath
reclaimPolicy: Delete
volumeBindingMode: Immediate
YAML
}

phase_volumes() {
  local t0 key; t0=$(now)
  volumes_class || die "could not create the StorageClass paas-test-local"
  key=$(sha256sum "$HERE/platform/provisioner.sh" | cut -c1-12)
  if pid_alive provisioner && [ "$(cat "$STATE/provisioner.key" 2>/dev/null)" = "$key" ]; then
    log "volumes: provisioner already running ($(dur "$t0"))"; return
  fi
  stop_pid provisioner 5
  start_bg provisioner "$STATE/provisioner.log" \
    "$HERE/platform/provisioner.sh" "$(cluster_bin)/kubectl" "$KUBECONFIG_PATH" "$VOLUMES_DIR"
  echo "$key" > "$STATE/provisioner.key"
  log "volumes: StorageClass paas-test-local (default), provisioner pid $(cat "$STATE/pids/provisioner"), volumes in $VOLUMES_DIR ($(dur "$t0"))"
}

volumes_down() {
  if [ -f "$STATE/pids/provisioner" ]; then
    stop_pid provisioner 5
    rm -rf "${VOLUMES_DIR:?}"
    log "volumes: provisioner stopped, $VOLUMES_DIR removed"
  fi
}

volumes_status() {
  if pid_alive provisioner; then log "volumes: provisioner running (pid $(cat "$STATE/pids/provisioner")), $VOLUMES_DIR"
  else log "volumes: provisioner NOT running"; return 1; fi
}
