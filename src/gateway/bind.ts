/**
 * Bind-mode resolution (`loopback|lan|tailnet|auto|custom`) and loopback address checks.
 *
 * Source: `src/gateway/net.ts` `resolveGatewayBindHost` (openclaw@2026.9.6), protocol.md §7.
 * @module
 */
import type { BindMode } from "../config/schema.ts";

/** Whether an IP literal or host name is a loopback address. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) ||
    h === "::ffff:127.0.0.1";
}

/** The first tailnet (100.64.0.0/10) IPv4 address of this machine, if any. */
export function findTailnetIPv4(
  interfaces: () => Deno.NetworkInterfaceInfo[] = Deno.networkInterfaces,
): string | undefined {
  try {
    for (const i of interfaces()) {
      if (i.family !== "IPv4") continue;
      const [a, b] = i.address.split(".").map(Number);
      if (a === 100 && b >= 64 && b <= 127) return i.address;
    }
  } catch {
    // No permission to list interfaces: no tailnet address.
  }
  return undefined;
}

/** Whether this process runs in a container (Docker/Podman marker files). */
export function inContainer(): boolean {
  for (const f of ["/.dockerenv", "/run/.containerenv"]) {
    try {
      Deno.statSync(f);
      return true;
    } catch { /* absent */ }
  }
  return false;
}

/**
 * Resolves a bind mode to the address to listen on.
 *
 * @param mode `loopback`→127.0.0.1, `lan`→0.0.0.0, `tailnet`→tailnet IPv4 else 127.0.0.1,
 *   `custom`→`customHost` else 0.0.0.0, `auto`→0.0.0.0 in a container else 127.0.0.1.
 * @param customHost `gateway.customBindHost` / `--custom-bind-host`.
 * @returns The IP literal to bind.
 */
export function resolveBindHost(
  mode: BindMode,
  customHost?: string,
  probes: { tailnet?: () => string | undefined; container?: () => boolean } = {},
): string {
  switch (mode) {
    case "loopback":
      return "127.0.0.1";
    case "lan":
      return "0.0.0.0";
    case "tailnet":
      return (probes.tailnet ?? findTailnetIPv4)() ?? "127.0.0.1";
    case "custom":
      return customHost ?? "0.0.0.0";
    case "auto":
      return (probes.container ?? inContainer)() ? "0.0.0.0" : "127.0.0.1";
  }
}
