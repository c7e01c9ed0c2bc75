#!/bin/sh
# Builds the single `clawgate` binary with the permission flags from scripts/permissions.
# Needs network access the first time: `deno compile` downloads its `denort` runtime from
# dl.deno.land (or set DENORT_BIN to a cached denort). Extra args go to `deno compile`
# (for example `--target aarch64-apple-darwin`, or `--output PATH` instead of dist/clawgate).
set -e
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname -- "$here")
perms=$(grep -v '^#' "$here/permissions" | grep -v '^[[:space:]]*$' | tr '\n' ' ')
out="$root/dist/clawgate"
case " $* " in *" --output "* | *" -o "*) out="" ;; esac
[ -z "$out" ] || mkdir -p "$root/dist"
# shellcheck disable=SC2086
exec deno compile --no-prompt --config "$root/deno.json" $perms ${out:+--output "$out"} "$@" "$root/scripts/compile_main.ts"
