#!/usr/bin/env bash
# Builds and runs images from the nginx pack's generated files on the local test platform, and checks
# what a browser gets. Needs a running Docker Engine and the base image paas-test/nginx:1 (Debian
# bookworm nginx-light, built by tests/platform/images.sh; nothing is pulled). Optional: a node image
# for the SPA build stage, PAAS_TEST_NODE_IMAGE (e.g. paas-test/node:20); without it the build-stage
# scenario is skipped.
#
#   tests/packs/docker-check.sh            run every scenario; ends with "N passed, N failed"
#   KEEP=1 tests/packs/docker-check.sh     keep the temp projects and the images
#
# Each container runs as Kubernetes will run it: --user 101, --read-only root with a tmpfs /tmp,
# all capabilities dropped, no-new-privileges; published on 127.0.0.1 only.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASE_IMAGE=${PAAS_TEST_NGINX_IMAGE:-paas-test/nginx:1}
NODE_IMAGE=${PAAS_TEST_NODE_IMAGE:-}
DOCKER=${DOCKER:-docker}
PY=${PYTHON:-python3}
WORK=$(mktemp -d /tmp/paas-docker-check.XXXXXX)
PASSED=0 FAILED=0
CONTAINERS=() IMAGES=()

cleanup() {
  for c in "${CONTAINERS[@]}"; do $DOCKER rm -f "$c" >/dev/null 2>&1 || true; done
  if [ -z "${KEEP:-}" ]; then
    for i in "${IMAGES[@]}"; do $DOCKER rmi -f "$i" >/dev/null 2>&1 || true; done
    rm -rf "$WORK"
  else
    echo "kept: $WORK ${IMAGES[*]}"
  fi
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); echo "  ok    $*"; }
fail() { FAILED=$((FAILED + 1)); echo "  FAIL  $*"; }
expect() {  # description, actual, expected (grep -E pattern)
  if printf '%s' "$2" | grep -Eq -- "$3"; then pass "$1"; else fail "$1: got [$(printf '%s' "$2" | head -c 300)] want /$3/"; fi
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# build_and_run NAME DIR [UID] [READY_PATH]  -> sets URL and CID
build_and_run() {
  local name=$1 dir=$2 uid=${3:-101} ready=${4:-/healthz} tag=paas-packs-test/$1:check port
  echo "== $name: docker build"
  if ! $DOCKER build -t "$tag" "$dir" >"$WORK/$name.build.log" 2>&1; then
    fail "$name: docker build"; cat "$WORK/$name.build.log"; return 1
  fi
  IMAGES+=("$tag"); pass "$name: docker build"
  port=$(free_port)
  CID=$($DOCKER run -d --user "$uid" --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL \
        --security-opt no-new-privileges -p "127.0.0.1:$port:8080" "$tag")
  CONTAINERS+=("$CID")
  URL=http://127.0.0.1:$port
  for _ in $(seq 50); do curl -fs -o /dev/null "$URL$ready" && break; sleep 0.2; done
  if [ "$($DOCKER inspect -f '{{.State.Running}}' "$CID")" != true ]; then
    fail "$name: container runs"; $DOCKER logs "$CID" 2>&1 | tail -20; return 1
  fi
  pass "$name: container runs as $($DOCKER exec "$CID" id -u 2>/dev/null || echo "$uid") with a read-only root"
}

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
header() { curl -s -o /dev/null -D - "${@:2}" | tr -d '\r' | grep -i "^$1:" | head -1; }

common_checks() {  # name
  local name=$1
  expect "$name: /healthz answers ok" "$(curl -s "$URL/healthz")" '^ok$'
  expect "$name: /healthz is 200" "$(status "$URL/healthz")" '^200$'
  expect "$name: index is served" "$(curl -s "$URL/")" 'paas-index-marker'
  expect "$name: index.html is revalidated" "$(header Cache-Control "$URL/")" 'no-cache'
  expect "$name: hashed asset cached a year" "$(header Cache-Control "$URL/assets/app.3f2a1c9.js")" 'public, max-age=31536000, immutable'
  expect "$name: hashed name outside /assets cached" "$(header Cache-Control "$URL/main.5d1e0b7c.css")" 'max-age=31536000'
  expect "$name: missing asset is 404" "$(status "$URL/assets/missing.3f2a1c9.js")" '^404$'
  expect "$name: gzip for text" "$(header Content-Encoding -H 'Accept-Encoding: gzip' "$URL/assets/app.3f2a1c9.js")" 'gzip'
  expect "$name: css content type" "$(header Content-Type "$URL/main.5d1e0b7c.css")" 'text/css'
  expect "$name: no nginx version" "$(header Server "$URL/")" '^Server: nginx$'
  expect "$name: nosniff" "$(header X-Content-Type-Options "$URL/")" 'nosniff'
  expect "$name: no dotfiles" "$(status "$URL/.env")" '^404$'
  expect "$name: logs to stdout" "$($DOCKER logs "$CID" 2>/dev/null | tail -5)" '"GET / HTTP/1.1" 200'
  expect "$name: nothing written outside /tmp" "$($DOCKER diff "$CID" | grep -v ' /tmp' || echo none)" '^none$'
}

make_site() {  # dir
  local d=$1
  mkdir -p "$d/assets" "$d/docs"
  printf '<!doctype html><title>x</title><p>paas-index-marker</p>\n' > "$d/index.html"
  printf '<!doctype html><p>docs-page</p>\n' > "$d/docs/index.html"
  printf 'console.log("%0500d");\n' 0 > "$d/assets/app.3f2a1c9.js"
  printf 'body{margin:0}\n' > "$d/main.5d1e0b7c.css"
}

$DOCKER info >/dev/null 2>&1 || { echo "no Docker Engine (tests/platform.sh up)"; exit 1; }
echo "base image: $BASE_IMAGE"
$DOCKER image inspect "$BASE_IMAGE" >/dev/null || { echo "missing $BASE_IMAGE (tests/platform/images.sh nginx)"; exit 1; }

# ---- 1. static site at the project root
P=$WORK/static
make_site "$P"
printf 'SECRET=1\n' > "$P/.env"; mkdir -p "$P/deploy"; printf 'kind: x\n' > "$P/deploy/deployment.yaml"
"$PY" "$HERE/render-check.py" init nginx "$P" --name static --set base_image="$BASE_IMAGE" 2>/dev/null
if build_and_run static "$P"; then
  common_checks static
  expect "static: unknown path is 404 (no SPA fallback)" "$(status "$URL/orders/42")" '^404$'
  expect "static: folder index" "$(curl -s "$URL/docs/")" 'docs-page'
  expect "static: folder without slash redirects relative" "$(header Location "$URL/docs")" '^Location: /docs/$'
  expect "static: .env not in the image (2)" "$($DOCKER exec "$CID" sh -c 'test -e /usr/share/nginx/html/.env && echo present || echo absent')" 'absent'
  expect "static: deploy/ and Dockerfile not in the image" "$($DOCKER exec "$CID" sh -c 'ls /usr/share/nginx/html/deploy /usr/share/nginx/html/Dockerfile 2>&1 || true')" 'No such file'
  expect "static: nginx.conf not served" "$(status "$URL/nginx.conf")" '^404$'
fi

# ---- 2. single-page app, prebuilt dist/ (spa = true, no build command)
P=$WORK/spa
make_site "$P/dist"
"$PY" "$HERE/render-check.py" init nginx "$P" --name spa --set spa=true --set site_dir=dist --set base_image="$BASE_IMAGE" 2>/dev/null
if build_and_run spa "$P"; then
  common_checks spa
  expect "spa: deep link answers index.html" "$(curl -s "$URL/orders/42")" 'paas-index-marker'
  expect "spa: deep link is 200" "$(status "$URL/orders/42")" '^200$'
  expect "spa: deep link revalidated" "$(header Cache-Control "$URL/orders/42")" 'no-cache'
  NGINX_CID=$CID
fi

# ---- 3. single-page app built in a node stage (needs a local node image)
if [ -n "$NODE_IMAGE" ]; then
  P=$WORK/spa-build
  mkdir -p "$P/src"
  make_site "$P/src"
  cat > "$P/package.json" <<'JSON'
{ "name": "spa-build", "version": "1.0.0", "private": true,
  "scripts": { "build": "node build.js" } }
JSON
  cat > "$P/package-lock.json" <<'JSON'
{ "name": "spa-build", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
  "packages": { "": { "name": "spa-build", "version": "1.0.0" } } }
JSON
  cat > "$P/build.js" <<'JS'
const fs = require("fs");
fs.cpSync("src", "dist", { recursive: true });
JS
  mkdir -p "$P/node_modules/junk"; printf 'x' > "$P/node_modules/junk/index.js"
  "$PY" "$HERE/render-check.py" init nginx "$P" --name spa-build --set spa=true \
      --set build_command='"npm run build"' --set node_image="$NODE_IMAGE" --set base_image="$BASE_IMAGE" 2>/dev/null
  if build_and_run spa-build "$P"; then
    common_checks spa-build
    expect "spa-build: deep link answers index.html" "$(curl -s "$URL/orders/42")" 'paas-index-marker'
    expect "spa-build: npm ci ran in the build stage" "$(grep -E "RUN npm ci|added [0-9]+ package|up to date" "$WORK/spa-build.build.log")" 'npm ci'
    expect "spa-build: /package.json is the SPA fallback, not the file" "$(curl -s "$URL/package.json")" 'paas-index-marker'
    expect "spa-build: package.json not in the web root" "$($DOCKER exec "$CID" sh -c 'test -e /usr/share/nginx/html/package.json && echo present || echo absent')" 'absent'
  fi
else
  echo "== spa-build: skipped (set PAAS_TEST_NODE_IMAGE to a local node image)"
fi

# ---- 4. every rendered nginx.conf of tests/packs/render-check.py passes `nginx -t` on the base image
"$PY" "$HERE/render-check.py" -o "$WORK/rendered" >/dev/null 2>&1 || true
for conf in "$WORK"/rendered/project/nginx/*/nginx.conf; do
  scen=$(basename "$(dirname "$conf")")
  out=$($DOCKER run --rm --user 101 --read-only --tmpfs /tmp -v "$conf:/etc/nginx/nginx.conf:ro" "$BASE_IMAGE" nginx -e stderr -t 2>&1 || true)
  expect "nginx -t on $BASE_IMAGE: $scen" "$out" 'test is successful'
done

# ---- 5. the dotnet pack's Dockerfile with stand-in SDK and runtime images (nothing can be pulled here):
# a fake `dotnet` on paas-test/debian restores (writes obj/) and publishes (writes <Assembly>.dll and
# wwwroot/), a fake runtime on paas-test/busybox serves /app/wwwroot with busybox httpd on
# $ASPNETCORE_HTTP_PORTS. This proves the stages, the paths, the restore-layer cache (a source change
# reuses it, a project change does not), the .dockerignore (host obj/ and bin/ stay out), the numeric
# user and the exec-form entrypoint; not .NET itself.
if $DOCKER image inspect paas-test/debian:bookworm >/dev/null 2>&1 && $DOCKER image inspect paas-test/busybox:1 >/dev/null 2>&1; then
  F=$WORK/fake-sdk; mkdir -p "$F"
  cat > "$F/dotnet" <<'SH'
#!/bin/sh
# Stand-in for the .NET SDK CLI (tests only).
set -eu
echo "fake-dotnet $*" >&2
cmd=$1; proj=$2; dir=$(dirname "$proj"); name=$(basename "$proj" .csproj)
case $cmd in
  restore)
    [ -f "$proj" ] || { echo "fake-dotnet: no project $proj" >&2; exit 1; }
    [ ! -e "$dir/obj/host-junk" ] || { echo "fake-dotnet: host obj/ leaked into the build" >&2; exit 1; }
    if find . -name '*.cs' | grep -q .; then echo "fake-dotnet: sources present during restore" >&2; exit 1; fi
    mkdir -p "$dir/obj"; echo restored > "$dir/obj/project.assets.json" ;;
  publish)
    [ -f "$dir/obj/project.assets.json" ] || { echo "fake-dotnet: not restored" >&2; exit 1; }
    out=$(echo "$*" | sed -n 's/.* -o \([^ ]*\).*/\1/p')
    mkdir -p "$out/wwwroot"
    echo "$name built from $(find "$dir" -name '*.cs' | wc -l) source file(s)" > "$out/$name.dll"
    cp -r "$dir/wwwroot/." "$out/wwwroot/" ;;
  *) echo "fake-dotnet: unexpected $cmd" >&2; exit 1 ;;
esac
SH
  printf 'FROM paas-test/debian:bookworm\nCOPY dotnet /usr/local/bin/dotnet\nRUN chmod 755 /usr/local/bin/dotnet\n' > "$F/Dockerfile"
  R=$WORK/fake-runtime; mkdir -p "$R"
  printf '#!/bin/sh\n# Stand-in for the .NET runtime host (tests only): serves wwwroot.\necho "fake-dotnet-runtime $* as uid $(id -u)" >&2\nexec httpd -f -v -p "${ASPNETCORE_HTTP_PORTS}" -h /app/wwwroot\n' > "$R/dotnet"
  printf 'FROM paas-test/busybox:1\nCOPY dotnet /usr/bin/dotnet\nCOPY dotnet /usr/share/dotnet/dotnet\nRUN chmod 755 /usr/bin/dotnet /usr/share/dotnet/dotnet\n' > "$R/Dockerfile"
  if $DOCKER build -q -t paas-packs-test/fake-dotnet-sdk:1 "$F" >"$WORK/fake.log" 2>&1 && $DOCKER build -q -t paas-packs-test/fake-aspnet:1 "$R" >>"$WORK/fake.log" 2>&1; then
    IMAGES+=(paas-packs-test/fake-dotnet-sdk:1 paas-packs-test/fake-aspnet:1)
    P=$WORK/dotnet
    mkdir -p "$P/src/Shop Web/wwwroot" "$P/src/Shop Web/obj" "$P/src/Shop Web/bin" "$P/src/Lib" "$P/tests/Shop.Tests"
    printf 'Microsoft Visual Studio Solution File\n' > "$P/Shop.sln"
    printf '{ "sdk": { "version": "8.0.404" } }\n' > "$P/global.json"
    printf '<Project Sdk="Microsoft.NET.Sdk.Web"/>\n' > "$P/src/Shop Web/Shop Web.csproj"
    printf '<Project Sdk="Microsoft.NET.Sdk"/>\n' > "$P/src/Lib/Lib.csproj"
    printf '<Project Sdk="Microsoft.NET.Sdk"/>\n' > "$P/tests/Shop.Tests/Shop.Tests.csproj"
    printf 'class P {}\n' > "$P/src/Shop Web/Program.cs"; printf 'class L {}\n' > "$P/src/Lib/L.cs"
    printf '<p>paas-index-marker dotnet</p>\n' > "$P/src/Shop Web/wwwroot/index.html"
    printf 'junk\n' > "$P/src/Shop Web/obj/host-junk"; printf 'junk\n' > "$P/src/Shop Web/bin/host.dll"
    "$PY" "$HERE/render-check.py" init dotnet "$P" --name shop --set project='"src/Shop Web/Shop Web.csproj"' \
        --set project_dir='"src/Shop Web"' --set assembly_name='"Shop Web"' --set solution=Shop.sln \
        --set sdk_image=paas-packs-test/fake-dotnet-sdk:1 --set runtime_image=paas-packs-test/fake-aspnet:1 2>/dev/null
    build_and_run dotnet "$P" 1654 / || true
    expect "dotnet: the published app answers on 8080" "$(curl -s "$URL/")" 'paas-index-marker dotnet'
    expect "dotnet: runs as the numeric uid 1654" "$($DOCKER logs "$CID" 2>&1)" 'fake-dotnet-runtime Shop Web.dll as uid 1654'
    expect "dotnet: image user is 1654" "$($DOCKER image inspect -f '{{.Config.User}}' paas-packs-test/dotnet:check)" '^1654$'
    expect "dotnet: exec-form entrypoint" "$($DOCKER image inspect -f '{{json .Config.Entrypoint}}' paas-packs-test/dotnet:check)" '^\["dotnet","Shop Web.dll"\]$'
    expect "dotnet: ASPNETCORE_HTTP_PORTS=8080" "$($DOCKER image inspect -f '{{json .Config.Env}}' paas-packs-test/dotnet:check)" 'ASPNETCORE_HTTP_PORTS=8080'
    expect "dotnet: publish saw the sources" "$($DOCKER run --rm --entrypoint cat paas-packs-test/dotnet:check "/app/Shop Web.dll")" 'built from 1 source'
    # A source change keeps the restore layer; a project change does not.
    printf 'class P { int x; } // %s\n' "$(date +%s%N)" > "$P/src/Shop Web/Program.cs"   # unique: no cache from earlier runs
    $DOCKER build -t paas-packs-test/dotnet:check "$P" > "$WORK/dotnet.rebuild1.log" 2>&1
    expect "dotnet: a source change reuses the restore layer" "$(grep -A1 'RUN \["dotnet", "restore"' "$WORK/dotnet.rebuild1.log")" 'Using cache'
    expect "dotnet: a source change re-runs the publish" "$(grep -A1 'RUN \["dotnet", "publish"' "$WORK/dotnet.rebuild1.log")" 'Running in'
    printf '<Project Sdk="Microsoft.NET.Sdk"><!-- new package %s --></Project>\n' "$(date +%s%N)" > "$P/src/Lib/Lib.csproj"
    $DOCKER build -t paas-packs-test/dotnet:check "$P" > "$WORK/dotnet.rebuild2.log" 2>&1
    expect "dotnet: a project change re-runs the restore" "$(grep -A1 'RUN \["dotnet", "restore"' "$WORK/dotnet.rebuild2.log")" 'Running in'
  else
    fail "dotnet: stand-in images build"
  fi
else
  echo "== dotnet: skipped (paas-test/debian:bookworm or paas-test/busybox:1 missing)"
fi

# ---- 6. the jexus pack (classic mode) with a stand-in Jexus base image: /usr/jexus/jws on
# paas-test/busybox starts a daemonized busybox httpd (a copy under /usr/jexus/, like Jexus' own
# processes) on the port and root of siteconf/default. This proves the Dockerfile (jws.conf edit as
# root, site and site config paths, numeric user) and jexus/run.sh (foreground, logs to stdout,
# graceful stop on SIGTERM, exit when Jexus dies); not Jexus itself.
if $DOCKER image inspect paas-test/busybox:1 >/dev/null 2>&1; then
  J=$WORK/fake-jexus; mkdir -p "$J"
  cat > "$J/jws" <<'SH'
#!/bin/sh
# Stand-in for Jexus' jws (tests only).
conf=/usr/jexus/siteconf/default
logdir=$(sed -n 's/^SiteLogDir=//p' /usr/jexus/jws.conf)
pids() { for p in /proc/[0-9]*; do [ "$(readlink "$p/exe" 2>/dev/null)" = /usr/jexus/httpd ] && echo "${p#/proc/}"; done; }
case $1 in
  start)
    port=$(sed -n 's/^port=//p' "$conf"); root=$(sed -n 's/^root=\/ *//p' "$conf")
    echo "fake-jexus: started port=$port root=$root uid=$(id -u)" >> "$logdir/default.log"
    /usr/jexus/httpd -p "$port" -h "$root" ;;
  stop) echo "fake-jexus: stopping" >> "$logdir/default.log"; kill $(pids) ;;
  status) [ -n "$(pids)" ] ;;
esac
SH
  printf 'SiteConfigDir=siteconf\nSiteLogDir=log\nRuntime=v4.0.30319\n' > "$J/jws.conf"
  printf 'FROM paas-test/busybox:1\nCOPY jws jws.conf /usr/jexus/\nRUN chmod 755 /usr/jexus/jws && cp /bin/busybox /usr/jexus/httpd && mkdir -p /usr/jexus/siteconf\n' > "$J/Dockerfile"
  if $DOCKER build -q -t paas-packs-test/fake-jexus:1 "$J" >"$WORK/fake-jexus.log" 2>&1; then
    IMAGES+=(paas-packs-test/fake-jexus:1)
    P=$WORK/jexus
    mkdir -p "$P/WebSite/bin"
    printf '<p>paas-index-marker jexus</p>\n' > "$P/WebSite/index.html"
    printf '<configuration/>\n' > "$P/WebSite/Web.config"; printf 'x' > "$P/WebSite/bin/Site.dll"
    "$PY" "$HERE/render-check.py" init jexus "$P" --name jexus-site --set site_dir=WebSite \
        --set base_image=paas-packs-test/fake-jexus:1 2>/dev/null
    if build_and_run jexus "$P" 1000 /; then
      expect "jexus: the site answers on 8080" "$(curl -s "$URL/")" 'paas-index-marker jexus'
      expect "jexus: bin/ of the classic site is kept" "$($DOCKER exec "$CID" ls /var/www/jexus-site/bin)" 'Site.dll'
      expect "jexus: jws.conf SiteLogDir moved to /tmp" "$($DOCKER exec "$CID" cat /usr/jexus/jws.conf)" '^SiteLogDir=/tmp/jexus-log$'
      for _ in $(seq 20); do $DOCKER logs "$CID" 2>&1 | grep -q 'fake-jexus: started' && break; sleep 0.25; done
      expect "jexus: Jexus started by run.sh, logs on stdout, as uid 1000" "$($DOCKER logs "$CID" 2>&1)" 'fake-jexus: started port=8080 root=/var/www/jexus-site uid=1000'
      expect "jexus: run.sh is PID 1" "$($DOCKER exec "$CID" cat /proc/1/cmdline | tr '\0' ' ')" 'paas-run-jexus'
      t0=$(date +%s)
      $DOCKER stop -t 10 "$CID" >/dev/null
      expect "jexus: docker stop runs jws stop and exits 0 promptly" "$($DOCKER inspect -f '{{.State.ExitCode}}' "$CID") $(( $(date +%s) - t0 ))s $($DOCKER logs "$CID" 2>&1 | grep -c 'stopping')" '^0 [0-4]s [1-9]'
      # When Jexus dies, the container ends (non-zero) instead of idling.
      CID2=$($DOCKER run -d --user 1000 --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL paas-packs-test/jexus:check)
      CONTAINERS+=("$CID2")
      sleep 3
      $DOCKER exec "$CID2" /usr/jexus/jws stop
      for _ in $(seq 40); do [ "$($DOCKER inspect -f '{{.State.Running}}' "$CID2")" = false ] && break; sleep 0.25; done
      expect "jexus: the container exits when Jexus dies" "$($DOCKER inspect -f '{{.State.Running}} {{.State.ExitCode}}' "$CID2")" '^false 1$'
    fi
    # apphost mode: the SDK stages publish, the runtime comes from runtime_image, and the paths of the
    # generated AppHost Cmd exist in the image (needs the stand-in .NET images of section 5).
    if $DOCKER image inspect paas-packs-test/fake-aspnet:1 >/dev/null 2>&1; then
      P=$WORK/jexus-apphost
      mkdir -p "$P/src/Shop.Web/wwwroot"
      printf '<Project Sdk="Microsoft.NET.Sdk.Web"/>\n' > "$P/src/Shop.Web/Shop.Web.csproj"
      printf 'class P {}\n' > "$P/src/Shop.Web/Program.cs"; printf 'x\n' > "$P/src/Shop.Web/wwwroot/index.html"
      "$PY" "$HERE/render-check.py" init jexus "$P" --name shop --set mode=apphost \
          --set project=src/Shop.Web/Shop.Web.csproj --set project_dir=src/Shop.Web --set assembly_name=Shop.Web \
          --set sdk_image=paas-packs-test/fake-dotnet-sdk:1 --set runtime_image=paas-packs-test/fake-aspnet:1 \
          --set base_image=paas-packs-test/fake-jexus:1 2>/dev/null
      if $DOCKER build -t paas-packs-test/jexus-apphost:check "$P" > "$WORK/jexus-apphost.build.log" 2>&1; then
        IMAGES+=(paas-packs-test/jexus-apphost:check)
        pass "jexus apphost: docker build"
        cmd=$(sed -n 's/^ *Cmd=\(.*\);$/\1/p' "$P/jexus/default")
        expect "jexus apphost: AppHost Cmd" "$cmd" '^/usr/share/dotnet/dotnet /var/www/app/Shop.Web.dll$'
        # shellcheck disable=SC2086 # split the Cmd into its two paths
        set -- $cmd
        expect "jexus apphost: the runtime and the dll of the Cmd exist" \
          "$($DOCKER run --rm --user 1000 --entrypoint sh paas-packs-test/jexus-apphost:check -c "test -x $1 && test -f $2 && cat /usr/jexus/siteconf/default | grep -c AppHost && echo paths-ok")" 'paths-ok'
      else
        fail "jexus apphost: docker build"; tail -20 "$WORK/jexus-apphost.build.log"
      fi
    fi
  else
    fail "jexus: stand-in image builds"; cat "$WORK/fake-jexus.log"
  fi
fi

# ---- 7. graceful stop: SIGQUIT from `docker stop` ends nginx promptly with status 0
if [ -n "${NGINX_CID:-}" ]; then
  t0=$(date +%s)
  $DOCKER stop -t 10 "$NGINX_CID" >/dev/null
  expect "nginx: docker stop is graceful (exit 0, under 10 s)" "$($DOCKER inspect -f '{{.State.ExitCode}}' "$NGINX_CID") $(( $(date +%s) - t0 ))s" '^0 [0-9]s$'
fi

echo "docker-check: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
