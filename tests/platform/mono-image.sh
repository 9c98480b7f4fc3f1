#!/usr/bin/env bash
# Builds the two local images the classic ASP.NET (jexus pack) tests need, from Debian's packages, without
# pulling anything:
#   paas-test/mono-build:6.8  the build stage's image: Mono's C# compiler and xbuild, NuGet 2.8 and the
#                             reference assemblies (mono-devel, mono-xbuild, nuget), plus Debian's ASP.NET MVC 3
#                             assembly, which the test packs into a local NuGet feed (MVC 5 is not packaged).
#   paas-test/jexus-mono:1    a stand-in for a company's Jexus base image: no Jexus (it cannot be had here),
#                             but the files the jexus pack's Dockerfile and run.sh use: /usr/jexus/jws.conf,
#                             /usr/jexus/siteconf/ and /usr/jexus/jws start|stop, which serves the site config's
#                             `root=` folder on its `port=` with Debian's Mono ASP.NET server (see post_jexus), run
#                             by a copy of Mono under /usr/jexus (as Jexus runs its bundled Mono), so run.sh's
#                             "is a process of /usr/jexus still running" check sees it.
# Same cache as images.sh: each image carries the label dev.paas.test.recipe=<hash of its inputs> and is not
# rebuilt while it matches; the debootstrap root tarballs are kept under ${XDG_CACHE_HOME:-$HOME/.cache}/paas-test.
# Usage: mono-image.sh [build|jexus]...   (default: both). Output goes to stderr; the last lines give the sizes.
#        mono-image.sh feed DIR         writes the test's company NuGet feed into DIR (a folder feed), built in
#                                       the build image: Contoso.Greetings 1.0.0 (compiled here from a few lines
#                                       of C#) and Microsoft.AspNet.Mvc 5.2.9 made of Debian's System.Web.Mvc 3.0
#                                       assembly: MVC 3 stands in for MVC 5, which cannot be had here.
set -euo pipefail
exec 1>&2
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/paas-test
MIRROR=${PAAS_TEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
BUILD_IMAGE=paas-test/mono-build:6.8
JEXUS_IMAGE=paas-test/jexus-mono:1
LABEL=dev.paas.test.recipe
PATH_ENV=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKER=${DOCKER:-docker}
BUILD_PACKAGES=mono-devel,mono-xbuild,nuget,libmono-system-web-mvc3.0-cil
JEXUS_PACKAGES=mono-fastcgi-server4,nginx-light,mono-mcs,libmono-system-web-mvc3.0-cil
mkdir -p "$CACHE"

log() { echo "[mono-image] $*"; }
sha() { sha256sum | cut -c1-16; }

post_common() {
  local r=$1
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* "$r"/var/log/*.log "$r"/var/cache/debconf/*-old
  find "$r/dev" -mindepth 1 -delete          # the runtime mounts its own /dev
  printf 'deb %s %s main\n' "$MIRROR" "$SUITE" > "$r/etc/apt/sources.list"
  # The pack's default uid (1000): Mono reads the user name of the process from /etc/passwd.
  grep -q '^app:' "$r/etc/passwd" || {
    echo 'app:x:1000:1000:app:/tmp:/usr/sbin/nologin' >> "$r/etc/passwd"
    echo 'app:x:1000:' >> "$r/etc/group"; }
}

post_build() {
  post_common "$1"
}

# The stand-in Jexus: jws.conf, siteconf/, a jws script and Mono under /usr/jexus. Debian's xsp4 (4.2) does not
# start on Debian's Mono 6.8 (TypeLoadException: Mono.Security has no Mono.Security.Protocol.Tls any more), so the
# Mono ASP.NET server is fastcgi-mono-server4 (same Mono.WebServer code, same source package) behind nginx-light.
post_jexus() {
  local r=$1
  post_common "$r"
  mkdir -p "$r/usr/jexus/siteconf" "$r/usr/jexus/log" "$r/var/www"
  cp "$r/usr/bin/mono-sgen" "$r/usr/jexus/mono"
  ln -sf /dev/stderr "$r/var/log/nginx/error.log"
  printf '%s\n' '# Stand-in for Jexus (paas tests): only the keys the stand-in reads.' \
    'SiteConfigDir=/usr/jexus/siteconf' 'SiteLogDir=/usr/jexus/log' > "$r/usr/jexus/jws.conf"
  cat > "$r/usr/jexus/jws" <<'EOF'
#!/bin/sh
# Stand-in for Jexus' `jws start|stop` (paas tests): serves the site of /usr/jexus/siteconf/default (`port=`, and
# the folder of `root=/ <folder>`) with Mono's fastcgi-mono-server4 behind nginx, in the background like
# `jws start`. Everything it writes goes to /tmp and SiteLogDir: the root filesystem may be read-only.
set -eu
conf=/usr/jexus/siteconf/default
value() { sed -n "s/^ *$1 *= *//p" "$2" | tail -n 1 | tr -d '\r'; }
logdir=$(value SiteLogDir /usr/jexus/jws.conf)
run=/tmp/jws
case "${1:-}" in
  start)
    port=$(value port "$conf")
    root=$(value root "$conf" | awk '{print $2}')
    mkdir -p "$logdir" "$run"
    cat > "$run/nginx.conf" <<NGINX
worker_processes 1;
pid $run/nginx.pid;
error_log stderr;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $run/body; fastcgi_temp_path $run/fastcgi; proxy_temp_path $run/proxy;
  uwsgi_temp_path $run/uwsgi; scgi_temp_path $run/scgi;
  server {
    listen $port;
    root $root;
    index Default.aspx default.aspx index.html;
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_param PATH_INFO "";
      fastcgi_pass 127.0.0.1:9000;
    }
  }
}
NGINX
    HOME=/tmp; export HOME
    nohup /usr/jexus/mono /usr/lib/mono/4.5/fastcgi-mono-server4.exe /applications=/:"$root" \
      /socket=tcp:127.0.0.1:9000 >> "$logdir/mono.log" 2>&1 &
    echo $! > "$run/mono.pid"
    nginx -e stderr -c "$run/nginx.conf"
    echo "jws (stand-in): Mono serves $root on port $port" ;;
  stop)
    [ -f "$run/nginx.pid" ] && kill "$(cat "$run/nginx.pid")" 2>/dev/null || true
    [ -f "$run/mono.pid" ] && kill "$(cat "$run/mono.pid")" 2>/dev/null || true ;;
  *) echo "usage: jws start|stop" >&2; exit 2 ;;
esac
EOF
  chmod 755 "$r/usr/jexus/jws"
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
    log "$image: debootstrap $SUITE (+$include) from $MIRROR ..."
    debootstrap --variant=minbase --include="$include" "$SUITE" "$root" "$MIRROR" > "$CACHE/debootstrap-$name.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap-$name.log"; rm -rf "$root"; exit 1; }
    "$post" "$root"
    tar --numeric-owner -C "$root" -czf "$tarball.tmp.$$" . && mv "$tarball.tmp.$$" "$tarball"
    rm -rf "$root"
    for old in "$CACHE"/rootfs-"$name"-*.tar.gz; do [ "$old" = "$tarball" ] || rm -f "$old"; done
    log "$image: root tarball cached: $tarball ($(du -h "$tarball" | cut -f1), $((SECONDS - t0))s)"
  fi
  $DOCKER import -c "ENV PATH=$PATH_ENV" -c "CMD $cmd" -c "LABEL $LABEL=$key" \
    -m "paas test platform: $name" "$tarball" "$image" >/dev/null
  log "$image: imported ($((SECONDS - t0))s)"
}

size() { $DOCKER image inspect -f '{{.Size}}' "$1" | awk -v i="$1" '{printf "[mono-image] %s: %d MB\n", i, $1 / 1000000}'; }

# The company feed of the classic ASP.NET tests (see the usage above).
feed() {
  local dir=$1
  mkdir -p "$dir"
  $DOCKER run --rm -i -v "$(cd "$dir" && pwd)":/feed -e HOME=/tmp "$BUILD_IMAGE" sh -eu <<'SCRIPT'
work=$(mktemp -d); cd "$work"
mkdir -p greetings/lib/net45 mvc/lib/net45
cat > Greeter.cs <<'CS'
namespace Contoso.Greetings
{
    public static class Greeter
    {
        public static string Hello(string name) { return "Hello from Contoso.Greetings, " + name; }
    }
}
CS
mcs -target:library -out:greetings/lib/net45/Contoso.Greetings.dll Greeter.cs
cp /usr/lib/mono/gac/System.Web.Mvc/3.0.0.0__*/System.Web.Mvc.dll mvc/lib/net45/
nuspec() {  # id, version, description
  printf '<?xml version="1.0"?>\n<package><metadata><id>%s</id><version>%s</version><authors>paas tests</authors>' "$1" "$2"
  printf '<description>%s</description></metadata><files><file src="lib/**" target="lib" /></files></package>\n' "$3"
}
nuspec Contoso.Greetings 1.0.0 "A company library (paas tests)" > greetings/Contoso.Greetings.nuspec
nuspec Microsoft.AspNet.Mvc 5.2.9 "paas tests: Debian's System.Web.Mvc 3.0 standing in for MVC 5" > mvc/Microsoft.AspNet.Mvc.nuspec
nuget pack greetings/Contoso.Greetings.nuspec -BasePath greetings -OutputDirectory /feed -NonInteractive >/dev/null
nuget pack mvc/Microsoft.AspNet.Mvc.nuspec -BasePath mvc -OutputDirectory /feed -NonInteractive >/dev/null
chmod a+r /feed/*.nupkg
SCRIPT
  log "feed: $(cd "$dir" && ls ./*.nupkg | tr '\n' ' ')"
}

if [ "${1:-}" = feed ]; then feed "${2:?usage: mono-image.sh feed DIR}"; exit 0; fi
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(build jexus)
for t in "${targets[@]}"; do
  case $t in
    build) debian_like "$BUILD_IMAGE" mono-build "$BUILD_PACKAGES" post_build '["bash"]'; size "$BUILD_IMAGE" ;;
    jexus) debian_like "$JEXUS_IMAGE" jexus-mono "$JEXUS_PACKAGES" post_jexus '["/bin/sh","-c","/usr/jexus/jws start && sleep infinity"]'; size "$JEXUS_IMAGE" ;;
    *) echo "unknown image $t" >&2; exit 2 ;;
  esac
done
