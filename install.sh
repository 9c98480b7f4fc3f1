#!/bin/sh
# Builds paas from this checkout and installs the binary and its shell completions.
set -eu

usage() {
    cat <<'USAGE'
Usage: sh install.sh [--prefix DIR] [--no-completions] [--help]

Builds paas with `cargo build --release --locked` and installs:
  DIR/bin/paas
  DIR/share/bash-completion/completions/paas
  DIR/share/zsh/site-functions/_paas
  DIR/share/fish/vendor_completions.d/paas.fish

Options:
  --prefix DIR       where to install (default: $PAAS_PREFIX, else ~/.local, or /usr/local as root)
  --no-completions   install the binary only
  --help             print this help

Safe to run again: files are replaced atomically; nothing else is touched.
Needs: cargo (https://rustup.rs), a C compiler.
USAGE
}

if [ "$(id -u)" = 0 ]; then default_prefix=/usr/local; else default_prefix="$HOME/.local"; fi
prefix=${PAAS_PREFIX:-$default_prefix}
completions=1
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || { echo "error: --prefix needs a folder" >&2; exit 2; }; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --no-completions) completions=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "error: unknown option \`$1\`" >&2; echo "hint: see \`sh install.sh --help\`" >&2; exit 2 ;;
    esac
done

here=$(cd "$(dirname "$0")" && pwd)
if ! command -v cargo >/dev/null 2>&1; then
    echo "error: \`cargo\` is not on PATH" >&2
    echo "hint: install Rust with rustup, then run this script again" >&2
    exit 1
fi

echo "Building paas (release)..." >&2
(cd "$here" && cargo build --release --locked --quiet)

# install FILE DEST MODE: copy next to DEST, then rename, so a running paas is never half-written.
put() {
    mkdir -p "$(dirname "$2")"
    tmp="$2.install-tmp.$$"
    cp "$1" "$tmp"
    chmod "$3" "$tmp"
    mv -f "$tmp" "$2"
    echo "  installed $2" >&2
}

put "$here/target/release/paas" "$prefix/bin/paas" 755
if [ "$completions" = 1 ]; then
    put "$here/completions/paas.bash" "$prefix/share/bash-completion/completions/paas" 644
    put "$here/completions/_paas" "$prefix/share/zsh/site-functions/_paas" 644
    put "$here/completions/paas.fish" "$prefix/share/fish/vendor_completions.d/paas.fish" 644
fi
"$prefix/bin/paas" --version >&2
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "note: add $prefix/bin to PATH to run \`paas\`" >&2 ;;
esac
