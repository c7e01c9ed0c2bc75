#!/bin/sh
# clawgate @VERSION@, single-file self-extracting build (made by `deno task dist`, scripts/dist.ts).
# This file is a POSIX sh stub followed by a gzip'd tar holding the Deno @DENO_VERSION@ binary and
# a code-split `deno bundle` of clawgate (app/, entry app/dist_main.js). The first run unpacks it, after checking its SHA-256, into
# ${CLAWGATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/clawgate}/@DIR_NAME@ (a temp dir renamed
# into place, so two first runs at once are safe; read-only afterwards); every run then execs
# that deno with the permission flags below. Needs: Linux @TARGET@ with glibc, sh, tail, gzip,
# tar, sha256sum, mktemp, and about 100 MB free under the cache dir.
set -eu
payload_line=@PAYLOAD_LINE@
payload_sha256=@PAYLOAD_SHA256@
base=${CLAWGATE_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-}/.cache}/clawgate}
case "$base" in
/*) ;;
*)
  echo "clawgate: cannot pick a cache dir to unpack into (HOME is unset or relative): set CLAWGATE_CACHE_DIR to an absolute, writable directory" >&2
  exit 1
  ;;
esac
dir="$base/@DIR_NAME@"
if [ ! -x "$dir/deno" ]; then
  mkdir -p "$base" || {
    echo "clawgate: cannot create $base: set CLAWGATE_CACHE_DIR to a writable directory" >&2
    exit 1
  }
  self=$0
  got=$(tail -n +"$payload_line" "$self" | sha256sum | cut -d' ' -f1)
  if [ "$got" != "$payload_sha256" ]; then
    echo "clawgate: $self is damaged (payload SHA-256 $got, expected $payload_sha256): download or build it again" >&2
    exit 1
  fi
  tmp=$(mktemp -d "$base/.unpack.XXXXXX")
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if ! tail -n +"$payload_line" "$self" | gzip -dc | tar -xf - -C "$tmp"; then
    echo "clawgate: unpacking into $base failed (disk full? about 100 MB is needed): set CLAWGATE_CACHE_DIR elsewhere or free space" >&2
    exit 1
  fi
  chmod -R a-w "$tmp"
  chmod u+w "$tmp" # rename(2) of a directory needs write access to it on some filesystems
  # Atomic: the first finisher wins; a later one finds the target present and drops its copy.
  if mv -T "$tmp" "$dir" 2>/dev/null; then chmod a-w "$dir"; fi
  chmod -R u+w "$tmp" 2>/dev/null || true
  rm -rf "$tmp"
  trap - EXIT INT TERM
  if [ ! -x "$dir/deno" ]; then
    echo "clawgate: could not place the unpacked runtime at $dir: if it is there but incomplete, run chmod -R u+w $dir && rm -rf $dir and try again" >&2
    exit 1
  fi
fi
DENO_NO_UPDATE_CHECK=1
# This file's absolute path: `gateway install` / `node install` put it in the service unit.
case "$0" in
/*) CLAWGATE_SELF=$0 ;;
*) CLAWGATE_SELF=$(pwd)/$0 ;;
esac
export DENO_NO_UPDATE_CHECK CLAWGATE_SELF
exec "$dir/deno" run --quiet --no-prompt --no-config --no-lock --no-remote --no-npm \
  @PERMISSIONS@ "$dir/app/dist_main.js" "$@"
exit 1
