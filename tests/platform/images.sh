#!/usr/bin/env bash
# Builds the local base images of the test platform without pulling anything:
#   paas-test/debian:bookworm  debootstrap --variant=minbase bookworm, imported with `docker import`
#   paas-test/nginx:1          the same plus nginx-light, prepared to run as a non-root user (uid 101 or 65532)
#   paas-test/busybox:1        busybox-static + applet symlinks + /etc/passwd (root, nobody), ~2 MB
#   paas-test/hugo:1           the same plus Debian's hugo: stands in for the Hugo image of the nginx pack's build stage
#   paas-test/mkdocs:1         the same plus Debian's mkdocs and python3-pip, pip allowed to install system-wide: stands in
#                              for the Python image of the nginx pack's MkDocs build stage
#   paas-test/jekyll:1         the same plus Debian's jekyll and bundler: stands in for the Ruby image of the Jekyll stage
#   paas-test/client:1         the same plus curl and netcat-openbsd: in-cluster probes on the real node (getent for DNS)
# Each image carries the label dev.paas.test.recipe=<hash of its inputs>; an image whose label already
# matches is not rebuilt. The debootstrap root tarballs are cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/rootfs-<name>-<key>.tar.gz, so a rebuild after `docker rmi`
# takes seconds. Usage: images.sh [debian|nginx|busybox]...   (default: all). Output goes to stderr.
set -euo pipefail
exec 1>&2
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
MIRROR=${PAAS_TEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
DEBIAN_IMAGE=paas-test/debian:bookworm
NGINX_IMAGE=paas-test/nginx:1
BUSYBOX_IMAGE=paas-test/busybox:1
LABEL=dev.paas.test.recipe
PATH_ENV=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKER=${DOCKER:-docker}
mkdir -p "$CACHE"

log() { echo "[images] $*"; }
sha() { sha256sum | cut -c1-16; }

# Run after debootstrap, inside the root: make it small and container-friendly.
post_common() {
  local r=$1
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* "$r"/var/log/*.log "$r"/var/cache/debconf/*-old
  find "$r/dev" -mindepth 1 -delete          # the runtime mounts its own /dev
  printf 'deb %s %s main\n' "$MIRROR" "$SUITE" > "$r/etc/apt/sources.list"
  # a non-root user like distroless' "nonroot"
  grep -q '^nonroot:' "$r/etc/passwd" || {
    echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin' >> "$r/etc/passwd"
    echo 'nonroot:x:65532:' >> "$r/etc/group"
    echo 'nonroot:*:19000:0:99999:7:::' >> "$r/etc/shadow"
    mkdir -p "$r/home/nonroot" && chown 65532:65532 "$r/home/nonroot"; }
}

# nginx: Debian's nginx-light, usable by an unprivileged user. Compiled-in paths of Debian's nginx:
# error log /var/log/nginx/error.log (opened before the config is read), temp paths /var/lib/nginx/*,
# pid /run/nginx.pid. We add user nginx (101:101, as in the official nginx images), make /var/lib/nginx,
# /var/log/nginx and /var/cache/nginx writable by any uid (mode 1777), send the logs to stdout/stderr,
# and create /usr/share/nginx/html. /run stays root-only: a non-root nginx.conf must say `pid /tmp/nginx.pid;`.
post_nginx() {
  local r=$1
  post_common "$r"
  grep -q '^nginx:' "$r/etc/passwd" || {
    echo 'nginx:x:101:101:nginx:/nonexistent:/usr/sbin/nologin' >> "$r/etc/passwd"
    echo 'nginx:x:101:' >> "$r/etc/group"
    echo 'nginx:*:19000:0:99999:7:::' >> "$r/etc/shadow"; }
  mkdir -p "$r/var/lib/nginx" "$r/var/log/nginx" "$r/var/cache/nginx" "$r/usr/share/nginx/html"
  chmod 1777 "$r/var/lib/nginx" "$r/var/log/nginx" "$r/var/cache/nginx"
  ln -sf /dev/stdout "$r/var/log/nginx/access.log"
  ln -sf /dev/stderr "$r/var/log/nginx/error.log"
  [ -f "$r/usr/share/nginx/html/index.html" ] || cp "$r/var/www/html/index.nginx-debian.html" "$r/usr/share/nginx/html/index.html" 2>/dev/null || true
}

# Stand-in for the Python image of the MkDocs stage, which runs `pip install -r requirements.txt`:
# - Debian's python refuses `pip install` outside a virtualenv (PEP 668), the python images do not;
#   without the marker file Debian's pip behaves like theirs;
# - Debian ships mkdocs 1.4.2 with python3-markdown 3.4.1 (they work together), but mkdocs' metadata
#   still says `Markdown<3.4`, so pip would look for another Markdown on PyPI. With the bound
#   relaxed, a requirement such as `mkdocs>=1.4` is met by Debian's packages with no download.
post_mkdocs() {
  local r=$1
  post_common "$r"
  rm -f "$r"/usr/lib/python3*/EXTERNALLY-MANAGED
  sed -i 's/^Requires-Dist: markdown<3.4,>=3.2.1$/Requires-Dist: markdown>=3.2.1/' "$r"/usr/lib/python3/dist-packages/mkdocs-*-info/METADATA
}

recipe_key() {  # name, include list, post-process function
  { echo "$SUITE minbase $2 $MIRROR rev1"; declare -f "$3" post_common; } | sha
}

current_label() { $DOCKER image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null || true; }

debian_like() {  # image, name, include list, post fn, CMD json
  local image=$1 name=$2 include=$3 post=$4 cmd=$5 key tarball t0=$SECONDS
  key=$(recipe_key "$name" "$include" "$post")
  if [ "$(current_label "$image")" = "$key" ]; then log "$image: cached ($key)"; return; fi
  tarball="$CACHE/rootfs-$name-$key.tar.gz"
  if [ ! -s "$tarball" ]; then
    local root; root=$(mktemp -d "$CACHE/.rootfs-$name.XXXXXX")
    log "$image: debootstrap $SUITE ${include:+(+$include) }from $MIRROR ..."
    debootstrap --variant=minbase ${include:+--include="$include"} "$SUITE" "$root" "$MIRROR" > "$CACHE/debootstrap-$name.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap-$name.log"; rm -rf "$root"; exit 1; }
    "$post" "$root"
    tar --numeric-owner -C "$root" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
    for old in "$CACHE"/rootfs-"$name"-*.tar.gz; do [ "$old" = "$tarball" ] || rm -f "$old"; done   # older recipes
    log "$image: root tarball cached: $tarball ($(du -h "$tarball" | cut -f1), $((SECONDS - t0))s)"
  fi
  $DOCKER import -c "ENV PATH=$PATH_ENV" -c "CMD $cmd" -c "LABEL $LABEL=$key" \
    -m "paas test platform: $name" "$tarball" "$image" >/dev/null
  log "$image: imported ($((SECONDS - t0))s)"
}

busybox() {
  local image=$BUSYBOX_IMAGE key t0=$SECONDS bb=/bin/busybox
  key=$( { sha256sum "$bb"; declare -f busybox; } | sha)
  if [ "$(current_label "$image")" = "$key" ]; then log "$image: cached ($key)"; return; fi
  [[ $(file -L "$bb" 2>/dev/null) == *"statically linked"* ]] || { log "$bb is not static: apt-get install busybox-static"; exit 1; }
  local root; root=$(mktemp -d)
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,home,var/www,dev,proc,sys}
  chmod 1777 "$root/tmp"
  cp "$bb" "$root/bin/busybox"
  "$bb" --list-full | while read -r p; do [ "$p" = bin/busybox ] || ln -s /bin/busybox "$root/$p"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nnonroot:x:65532:65532:nonroot:/home/nonroot:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnogroup:x:65534:\nnonroot:x:65532:\n' > "$root/etc/group"
  tar --numeric-owner -C "$root" -c . | $DOCKER import -c "ENV PATH=$PATH_ENV" -c 'CMD ["/bin/sh"]' \
    -c "LABEL $LABEL=$key" -m "paas test platform: busybox" - "$image" >/dev/null
  rm -rf "$root"
  log "$image: imported ($((SECONDS - t0))s)"
}

targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(busybox debian nginx)
for t in "${targets[@]}"; do
  case $t in
    busybox) busybox ;;
    debian)  debian_like "$DEBIAN_IMAGE" debian "" post_common '["bash"]' ;;
    nginx)   debian_like "$NGINX_IMAGE" nginx nginx-light post_nginx '["nginx","-g","daemon off;"]' ;;
    hugo)    debian_like paas-test/hugo:1 hugo hugo post_common '["hugo","version"]' ;;
    mkdocs)  debian_like paas-test/mkdocs:1 mkdocs mkdocs,python3-pip post_mkdocs '["python3","--version"]' ;;
    jekyll)  debian_like paas-test/jekyll:1 jekyll jekyll,ruby-bundler post_common '["jekyll","--version"]' ;;
    client)  debian_like paas-test/client:1 client curl,netcat-openbsd post_common '["sleep","infinity"]' ;;
    *) echo "unknown image $t" >&2; exit 2 ;;
  esac
done
