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
#   paas-test/redis:7          the same plus Debian's redis-server (7.0) and redis-tools: stands in for the official redis
#                              image of the redis component (redis-server and redis-cli on PATH, runs as any uid)
#   paas-test/postgres:15      STAND-IN for the official postgres image: Debian's postgresql-15, user postgres moved to
#                              uid/gid 999 (the official image's), its bin directory first on PATH, and a
#                              docker-entrypoint.sh that does what the official one does for the component: on an empty
#                              $PGDATA, initdb with POSTGRES_USER / POSTGRES_PASSWORD (scram-sha-256 over TCP, trust on the
#                              socket), listen on all addresses, create POSTGRES_DB; then exec the command (`postgres`).
#                              It proves the component's env, paths, user and probes, not the official image's other options
#   paas-test/mongo:7          STAND-IN for the official mongo image (no MongoDB server can be had here): a Debian root
#                              with user mongodb (uid/gid 999, home /data/db, as in the official image), /data/db and
#                              /data/configdb, FerretDB 1.24 (SQLite backend, data in /data/db) as the server, the real
#                              mongosh (npm, on Debian's nodejs 18) and Go stand-ins of mongodump / mongorestore that
#                              write and read the mongodump archive format (tests/mongo/build.sh builds and caches
#                              them). Its docker-entrypoint.sh does what the official one does for the component: on a
#                              data folder without databases, the root user MONGO_INITDB_ROOT_USERNAME /
#                              MONGO_INITDB_ROOT_PASSWORD in `admin` (SCRAM), kept as it is on later starts whatever
#                              the variables say; auth on whenever both are set; all addresses, port 27017. It proves
#                              the component's env, paths, user, read-only root, probes, URL (authSource=admin),
#                              password check, backup and restore over the wire protocol; not MongoDB itself (FerretDB
#                              is not MongoDB: no replica sets, roles not enforced, some commands differ), nor the real
#                              mongodump / mongorestore, nor the official image's other options
#                              (/docker-entrypoint-initdb.d, --config, MONGO_INITDB_ROOT_*_FILE, ...)
#   paas-test/nginx-clients:1  paas-test/nginx plus redis-tools, postgresql-client and mongosh (on Debian's nodejs): the
#                              base image of an app that reaches its components with redis-cli, psql and mongosh in the
#                              real-node tests
#   paas-test/dotnet-sdk:1     STAND-IN for mcr.microsoft.com/dotnet/sdk (no .NET SDK can be had here): paas-test/debian
#                              with a `dotnet` script whose `restore` checks the project and whose `publish -o DIR`
#                              writes DIR/<AssemblyName>.dll (a text marker, no code) and a page per `MapGet("/path"`
#                              of the sources; built FROM the local debian image (see dotnet_standins)
#   paas-test/dotnet-aspnet:1  STAND-IN for mcr.microsoft.com/dotnet/aspnet: paas-test/busybox with a `dotnet` script
#                              whose `dotnet <x>.dll` checks the file and serves those pages with busybox httpd on
#                              $ASPNETCORE_HTTP_PORTS (or the port of $ASPNETCORE_URLS). It proves the pack's
#                              Dockerfile stages, paths, user, port variable and entrypoint, not that .NET runs.
# Each image carries the label dev.paas.test.recipe=<hash of its inputs>; an image whose label already
# matches is not rebuilt. The debootstrap root tarballs are cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test/rootfs-<name>-<key>.tar.gz, so a rebuild after `docker rmi`
# takes seconds. Usage: images.sh [debian|nginx|busybox|hugo|mkdocs|jekyll|client|redis|postgres|mongo|nginx-clients|dotnet]...   (default: busybox debian nginx). Output goes to stderr.
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
HERE=$(cd "$(dirname "$0")" && pwd)
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

# postgres: the uid and gid of the official image (999), no cluster of Debian's own (postgresql-common makes one on
# install), and the sockets' directory writable by that user.
post_postgres() {
  local r=$1 old_uid old_gid
  post_common "$r"
  old_uid=$(awk -F: '$1 == "postgres" { print $3 }' "$r/etc/passwd")
  old_gid=$(awk -F: '$1 == "postgres" { print $3 }' "$r/etc/group")
  sed -i 's/^postgres:x:[0-9]*:[0-9]*:/postgres:x:999:999:/' "$r/etc/passwd"
  sed -i 's/^postgres:x:[0-9]*:/postgres:x:999:/' "$r/etc/group"
  find "$r" -xdev \( -uid "$old_uid" -o -gid "$old_gid" \) -exec chown -h 999:999 {} + 2>/dev/null || true
  rm -rf "$r"/var/lib/postgresql/15/main "$r"/etc/postgresql/15/main
  # /var/run is a link to /run (absolute: never follow it from outside the root)
  mkdir -p "$r/var/lib/postgresql/data" "$r/run/postgresql"
  chown 999:999 "$r/var/lib/postgresql/data" "$r/run/postgresql"
  chmod 2777 "$r/run/postgresql"
}

# mongo: the official image's user (mongodb, uid/gid 999, home /data/db) and its data folders, with Debian's nodejs
# for mongosh. uid 999 must be free in the root (minbase has no system users that high).
post_mongo() {
  local r=$1
  post_common "$r"
  if ! grep -q '^mongodb:' "$r/etc/passwd"; then
    if awk -F: '$3 == 999' "$r/etc/passwd" | grep -q . || awk -F: '$3 == 999' "$r/etc/group" | grep -q .; then
      echo "uid/gid 999 is taken in the mongo root" >&2; return 1
    fi
    echo 'mongodb:x:999:999::/data/db:/bin/sh' >> "$r/etc/passwd"
    echo 'mongodb:x:999:' >> "$r/etc/group"
    echo 'mongodb:!:19000:0:99999:7:::' >> "$r/etc/shadow"
  fi
  mkdir -p "$r/data/db" "$r/data/configdb"
  chown 999:999 "$r/data/db" "$r/data/configdb"
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
    tar --numeric-owner -C "$root" -czf "$tarball.tmp.$$" . && mv "$tarball.tmp.$$" "$tarball"
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

# The two .NET stand-ins (see the top of this file), built with `docker build` FROM the local debian and
# busybox images, nothing pulled. Their `dotnet` scripts are the whole of what they add.
dotnet_standins() {
  local which=$1 image base key t0=$SECONDS ctx
  case $which in
    sdk) image=paas-test/dotnet-sdk:1; base=$DEBIAN_IMAGE ;;
    aspnet) image=paas-test/dotnet-aspnet:1; base=$BUSYBOX_IMAGE ;;
  esac
  key=$( { declare -f dotnet_standins dotnet_sdk_script dotnet_aspnet_script; $DOCKER image inspect -f '{{.Id}}' "$base"; } | sha)
  if [ "$(current_label "$image")" = "$key" ]; then log "$image: cached ($key)"; return; fi
  ctx=$(mktemp -d)
  "dotnet_${which}_script" > "$ctx/dotnet"
  chmod 755 "$ctx/dotnet"
  printf '%s\n' "FROM $base" 'COPY dotnet /usr/share/dotnet/dotnet' \
    'RUN ["/bin/sh", "-c", "ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet"]' \
    "LABEL $LABEL=$key" > "$ctx/Dockerfile"
  local out
  out=$($DOCKER build -q -t "$image" "$ctx" 2>&1) || { echo "$out"; rm -rf "$ctx"; exit 1; }
  rm -rf "$ctx"
  log "$image: built ($((SECONDS - t0))s)"
}

dotnet_sdk_script() {
  cat <<'EOF'
#!/bin/sh
# STAND-IN for the .NET SDK's `dotnet` (paas tests, tests/platform/images.sh): no compiler, no NuGet.
# `dotnet restore PROJECT` checks that the project exists; `dotnet publish PROJECT -o DIR ...` writes
# DIR/<AssemblyName>.dll (a text marker) and, under DIR/stand-in-www, a page for each `MapGet("/path"` of the
# project's C# sources, which the runtime stand-in serves.
set -eu
command=${1:-}
[ $# -gt 0 ] && shift
project=
out=
while [ $# -gt 0 ]; do
  case $1 in
    -o|--output) out=$2; shift 2 ;;
    -c|--configuration|-f|--framework|-r|--runtime) shift 2 ;;
    -*) shift ;;
    *) project=$1; shift ;;
  esac
done
case $command in
  --version) echo "0.0.0-paas-stand-in" ;;
  restore)
    [ -f "$project" ] || { echo "error MSB1009: Project file does not exist: $project" >&2; exit 1; }
    echo "dotnet (stand-in): restored $project, nothing downloaded" ;;
  publish)
    [ -f "$project" ] || { echo "error MSB1009: Project file does not exist: $project" >&2; exit 1; }
    [ -n "$out" ] || { echo "dotnet (stand-in): publish needs -o DIR" >&2; exit 1; }
    name=$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$project" | head -n 1)
    [ -n "$name" ] || name=$(basename "$project" | sed 's/\.[a-z]*proj$//')
    dir=$(dirname "$project")
    mkdir -p "$out/stand-in-www"
    printf 'paas stand-in assembly %s, published from %s\n' "$name" "$project" > "$out/$name.dll"
    grep -rhoE --include='*.cs' 'MapGet\("/[^"{}]*"' "$dir" | sed -E 's/^MapGet\("//; s/"$//' | sort -u |
      while read -r path; do
        file=$out/stand-in-www$path
        [ "$path" = / ] && file=$out/stand-in-www/index.html
        mkdir -p "$(dirname "$file")"
        printf '%s (dotnet stand-in): GET %s\n' "$name" "$path" > "$file"
      done
    for f in "$dir"/appsettings*.json; do [ -f "$f" ] && cp "$f" "$out/"; done
    echo "dotnet (stand-in): published $name.dll to $out" ;;
  *) echo "dotnet (stand-in): \`$command\` is not supported" >&2; exit 1 ;;
esac
EOF
}

dotnet_aspnet_script() {
  cat <<'EOF'
#!/bin/sh
# STAND-IN for the ASP.NET Core runtime's `dotnet APP.dll` (paas tests, tests/platform/images.sh): checks that
# APP.dll is in the working folder and serves the pages the SDK stand-in published (stand-in-www) with busybox
# httpd on $ASPNETCORE_HTTP_PORTS, else the port of $ASPNETCORE_URLS, else 8080 (the .NET 8+ default).
set -eu
dll=${1:?usage: dotnet APP.dll}
[ -f "$dll" ] || { echo "The application '$dll' does not exist." >&2; exit 1; }
port=${ASPNETCORE_HTTP_PORTS:-}
[ -n "$port" ] || { urls=${ASPNETCORE_URLS:-}; port=${urls##*:}; }
port=${port%%[!0-9]*}
[ -n "$port" ] || port=8080
echo "info: Now listening on: http://[::]:$port (dotnet stand-in serving $dll)"
exec httpd -f -v -p "$port" -h "$(pwd)/stand-in-www"
EOF
}

# The postgres stand-in: Debian's server (post_postgres) with the official image's PATH, entrypoint and command.
postgres_standin() {
  local image=paas-test/postgres:15 base=paas-test/postgres-debian:15 key t0=$SECONDS ctx out
  debian_like "$base" postgres postgresql-15 post_postgres '["bash"]'
  key=$( { declare -f postgres_standin postgres_entrypoint; $DOCKER image inspect -f '{{.Id}}' "$base"; } | sha)
  if [ "$(current_label "$image")" = "$key" ]; then log "$image: cached ($key)"; return; fi
  ctx=$(mktemp -d)
  postgres_entrypoint > "$ctx/docker-entrypoint.sh"
  chmod 755 "$ctx/docker-entrypoint.sh"
  printf '%s\n' "FROM $base" 'COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh' \
    "ENV PATH=/usr/lib/postgresql/15/bin:$PATH_ENV PGDATA=/var/lib/postgresql/data" \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]' 'EXPOSE 5432' "LABEL $LABEL=$key" > "$ctx/Dockerfile"
  out=$($DOCKER build -q -t "$image" "$ctx" 2>&1) || { echo "$out"; rm -rf "$ctx"; exit 1; }
  rm -rf "$ctx"
  log "$image: built ($((SECONDS - t0))s)"
}

postgres_entrypoint() {
  cat <<'EOF'
#!/bin/sh
# STAND-IN for the official postgres image's docker-entrypoint.sh (paas tests, tests/platform/images.sh): on an
# empty $PGDATA it initialises the cluster with POSTGRES_USER (default postgres) and POSTGRES_PASSWORD, as the
# official one does: scram-sha-256 for TCP from anywhere, trust on the local socket, listening on all addresses,
# and POSTGRES_DB (default the user) created. Then it runs the command.
set -eu
if [ "${1:-}" = postgres ]; then
  : "${PGDATA:=/var/lib/postgresql/data}"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "Error: Database is uninitialized and superuser password is not specified." >&2; exit 1; }
    user=${POSTGRES_USER:-postgres}
    db=${POSTGRES_DB:-$user}
    mkdir -p "$PGDATA"
    chmod 700 "$PGDATA"
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 >/dev/null
    rm -f "$pwfile"
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    if [ "$db" != postgres ]; then
      psql -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres -q -c "CREATE DATABASE \"$db\""
    fi
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "PostgreSQL init process complete; ready for start up."
  fi
fi
exec "$@"
EOF
}

# The mongo stand-in (see the top of this file): a Debian root with nodejs (post_mongo), plus what tests/mongo/build.sh
# builds and caches (FerretDB, the mongodump / mongorestore stand-ins, mongosh's node_modules), an entrypoint, and
# the official image's ENTRYPOINT, CMD, VOLUME and port.
mongo_standin() {
  local image=paas-test/mongo:7 base=paas-test/mongo-debian:7 key t0=$SECONDS ctx out go_dir sh_dir
  debian_like "$base" mongo nodejs post_mongo '["bash"]'
  go_dir=$("$HERE/../mongo/build.sh" go | tail -n 1) || { log "$image: tests/mongo/build.sh go failed"; exit 1; }
  sh_dir=$("$HERE/../mongo/build.sh" mongosh | tail -n 1) || { log "$image: tests/mongo/build.sh mongosh failed"; exit 1; }
  key=$( { declare -f mongo_standin mongo_entrypoint mongosh_context; echo "${go_dir##*/} ${sh_dir##*/}"
    $DOCKER image inspect -f '{{.Id}}' "$base"; } | sha)
  if [ "$(current_label "$image")" = "$key" ]; then log "$image: cached ($key)"; return; fi
  ctx=$(mktemp -d "$CACHE/.ctx-mongo.XXXXXX")
  mongosh_context "$sh_dir" "$ctx"
  cp -a "$go_dir/bin/." "$ctx/bin/"
  mongo_entrypoint > "$ctx/bin/docker-entrypoint.sh"
  chmod 755 "$ctx/bin/docker-entrypoint.sh"
  printf '%s\n' "FROM $base" 'COPY mongosh /opt/mongosh' 'COPY mongosh.conf /etc/mongosh.conf' 'COPY bin/ /usr/local/bin/' \
    'VOLUME ["/data/db", "/data/configdb"]' 'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["mongod"]' 'EXPOSE 27017' \
    "LABEL $LABEL=$key" > "$ctx/Dockerfile"
  out=$($DOCKER build -q -t "$image" "$ctx" 2>&1) || { echo "$out"; rm -rf "$ctx"; exit 1; }
  rm -rf "$ctx"
  log "$image: built ($((SECONDS - t0))s)"
}

# A build context with mongosh: mongosh/node_modules (hard links into the cache where it can), bin/mongosh (a link
# to its script, which starts with `#!/usr/bin/env node`) and a global mongosh.conf without telemetry.
mongosh_context() {
  local sh_dir=$1 ctx=$2
  mkdir -p "$ctx/mongosh" "$ctx/bin"
  cp -al "$sh_dir/node_modules" "$ctx/mongosh/" 2>/dev/null || cp -a "$sh_dir/node_modules" "$ctx/mongosh/"
  ln -s /opt/mongosh/node_modules/mongosh/bin/mongosh.js "$ctx/bin/mongosh"
  printf 'mongosh:\n  forceDisableTelemetry: true\n' > "$ctx/mongosh.conf"
}

# nginx-clients: its Debian root (nginx-light, redis-tools, psql, nodejs) plus mongosh.
nginx_clients() {
  local image=paas-test/nginx-clients:1 base=paas-test/nginx-clients-debian:1 key t0=$SECONDS ctx out sh_dir
  debian_like "$base" nginx-clients nginx-light,redis-tools,postgresql-client-15,nodejs post_nginx '["nginx","-g","daemon off;"]'
  sh_dir=$("$HERE/../mongo/build.sh" mongosh | tail -n 1) || { log "$image: tests/mongo/build.sh mongosh failed"; exit 1; }
  key=$( { declare -f nginx_clients mongosh_context; echo "${sh_dir##*/}"; $DOCKER image inspect -f '{{.Id}}' "$base"; } | sha)
  if [ "$(current_label "$image")" = "$key" ]; then log "$image: cached ($key)"; return; fi
  ctx=$(mktemp -d "$CACHE/.ctx-nginx-clients.XXXXXX")
  mongosh_context "$sh_dir" "$ctx"
  printf '%s\n' "FROM $base" 'COPY mongosh /opt/mongosh' 'COPY mongosh.conf /etc/mongosh.conf' 'COPY bin/ /usr/local/bin/' \
    "LABEL $LABEL=$key" > "$ctx/Dockerfile"
  out=$($DOCKER build -q -t "$image" "$ctx" 2>&1) || { echo "$out"; rm -rf "$ctx"; exit 1; }
  rm -rf "$ctx"
  log "$image: built ($((SECONDS - t0))s)"
}

mongo_entrypoint() {
  cat <<'EOF'
#!/bin/bash
# STAND-IN for the official mongo image's docker-entrypoint.sh (paas tests, tests/platform/images.sh), running
# FerretDB (SQLite backend) as `mongod`. As the official one does for the component's variables:
# - MONGO_INITDB_ROOT_USERNAME and MONGO_INITDB_ROOT_PASSWORD: both or neither; with both, auth is on (--auth);
# - on a data folder that holds no database yet, the root user is created in `admin` (FerretDB's setup user,
#   SCRAM-SHA-1 and SCRAM-SHA-256); on later starts the user is kept as it is, whatever the variables say now
#   (another password is refused: "Authentication failed");
# - listening on all addresses (--bind_ip_all), port 27017, data in /data/db (--dbpath).
# MONGO_INITDB_DATABASE names the database of the /docker-entrypoint-initdb.d scripts, which this stand-in does not
# run; it creates no database (nor does the official image without such scripts). Another command is run as it is.
set -euo pipefail
if [ "${1:0:1}" = - ]; then set -- mongod "$@"; fi
if [ "$1" != mongod ]; then exec "$@"; fi
shift
dbpath=/data/db port=27017 auth=
while [ $# -gt 0 ]; do
  case $1 in
    --bind_ip_all) ;;
    --auth) auth=1 ;;
    --noauth) auth=0 ;;
    --port) port=$2; shift ;;
    --port=*) port=${1#*=} ;;
    --dbpath) dbpath=$2; shift ;;
    --dbpath=*) dbpath=${1#*=} ;;
    *) echo "mongod (stand-in): option $1 is not supported" >&2; exit 2 ;;
  esac
  shift
done
user=${MONGO_INITDB_ROOT_USERNAME:-} password=${MONGO_INITDB_ROOT_PASSWORD:-}
if { [ -n "$user" ] && [ -z "$password" ]; } || { [ -z "$user" ] && [ -n "$password" ]; }; then
  echo "error: missing 'MONGO_INITDB_ROOT_USERNAME' or 'MONGO_INITDB_ROOT_PASSWORD'" >&2
  echo "       both must be specified for a user to be created" >&2
  exit 1
fi
if [ -n "$user" ] && [ "$auth" != 0 ]; then auth=1; fi
if [ ! -d "$dbpath" ] || [ ! -w "$dbpath" ]; then
  echo "mongod (stand-in): the data folder $dbpath is missing or not writable by uid $(id -u)" >&2; exit 1
fi
args=(--handler=sqlite "--sqlite-url=file:$dbpath/" "--listen-addr=:$port" "--state-dir=$dbpath" --debug-addr=- --telemetry=disable)
if [ "$auth" = 1 ]; then args+=(--test-enable-new-auth); fi
shopt -s nullglob
databases=("$dbpath"/*.sqlite)
if [ ${#databases[@]} -gt 0 ]; then
  echo "mongod (stand-in): $dbpath holds databases: skipping initialisation"
elif [ -n "$user" ]; then
  # FerretDB's setup runs when it finds no `admin` database; the password goes by environment, not argv
  echo "mongod (stand-in): initialising $dbpath: root user $user in admin"
  export FERRETDB_SETUP_DATABASE=admin FERRETDB_SETUP_USERNAME=$user FERRETDB_SETUP_PASSWORD=$password
fi
exec ferretdb "${args[@]}"
EOF
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
    redis)   debian_like paas-test/redis:7 redis redis-server,redis-tools post_common '["redis-server"]' ;;
    postgres) postgres_standin ;;
    mongo)   mongo_standin ;;
    nginx-clients) nginx_clients ;;
    dotnet)  dotnet_standins sdk; dotnet_standins aspnet ;;
    *) echo "unknown image $t" >&2; exit 2 ;;
  esac
done
