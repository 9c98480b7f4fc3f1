#!/usr/bin/env bash
# Builds the test image of NGINX's Prometheus exporter and pushes it for the real node, without pulling anything:
#   paas-test/nginx-prometheus-exporter:1.5.3   FROM scratch: the exporter built from its released sources
#                                               (tests/nginx-exporter/build.sh, cached by inputs), user 65534, as the
#                                               official nginx/nginx-prometheus-exporter image runs it
# and, when the registry lacks it or holds another build, ${PAAS_TEST_REGISTRY:-127.0.0.1:5000}/paas-test/...:1.5.3,
# which the nginx pack's `exporter_image` variable names in the real-node tests. The image carries the label
# dev.paas.test.recipe=<hash of the binary>; an image whose label matches is not rebuilt. Idempotent: prints the
# pushed reference on stdout (last line); everything else goes to stderr.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DOCKER=${DOCKER:-docker}
REGISTRY=${PAAS_TEST_REGISTRY:-127.0.0.1:5000}
VERSION=1.5.3
IMAGE=paas-test/nginx-prometheus-exporter:$VERSION
REF=$REGISTRY/$IMAGE
LABEL=dev.paas.test.recipe
bin=$("$HERE/../nginx-exporter/build.sh" | tail -n 1)
key=$(sha256sum "$bin" | cut -c1-12)
if [ "$("$DOCKER" image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$IMAGE" 2>/dev/null)" != "$key" ]; then
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  cp "$bin" "$ctx/nginx-prometheus-exporter"
  printf 'FROM scratch\nCOPY nginx-prometheus-exporter /usr/bin/nginx-prometheus-exporter\nUSER 65534\nEXPOSE 9113\nENTRYPOINT ["/usr/bin/nginx-prometheus-exporter"]\nLABEL %s=%s\n' \
    "$LABEL" "$key" > "$ctx/Dockerfile"
  "$DOCKER" build -q -t "$IMAGE" "$ctx" >/dev/null
  echo "[images] $IMAGE built" >&2
fi
id=$("$DOCKER" image inspect -f '{{.Id}}' "$IMAGE")
if [ "$("$DOCKER" image inspect -f '{{.Id}}' "$REF" 2>/dev/null)" != "$id" ] || \
   ! curl -sf -o /dev/null -m 5 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
     "http://$REGISTRY/v2/${IMAGE%%:*}/manifests/$VERSION"; then
  "$DOCKER" tag "$IMAGE" "$REF" && "$DOCKER" push "$REF" >/dev/null
  echo "[images] $REF pushed" >&2
fi
echo "$REF"
