/**
 * Other clawgate gateways on this host, for `gateway status --deep` and the port check of
 * `gateway install`: installed units of every profile (their `--port`), and running
 * `gateway run` processes found in `/proc` (Linux). Read-only.
 * @module
 */
import { join } from "node:path";
import { splitSystemdWords } from "./systemd_unit.ts";

/** A gateway found on this host. */
export interface HostGateway {
  /** `unit` for an installed service file, `process` for a running `gateway run`. */
  source: "unit" | "process";
  /** The unit path, or `pid N`. */
  where: string;
  pid?: number;
  port?: number;
  profile?: string;
}

/** Reads `--port N` and `--profile P` from a clawgate argv. */
export function gatewayArgs(
  argv: string[],
): { isGateway: boolean; port?: number; profile?: string } {
  const run = argv.findIndex((a, i) => a === "gateway" && argv[i + 1] === "run");
  const after = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.split("=")[1];
  };
  const port = Number(after("--port"));
  return {
    isGateway: run >= 0,
    port: Number.isInteger(port) && port > 0 ? port : undefined,
    profile: after("--profile"),
  };
}

/**
 * Lists `clawgate-gateway*.service` units in the given directories.
 *
 * @param dirs e.g. `~/.config/systemd/user`, `/etc/systemd/system`.
 */
export async function installedGatewayUnits(dirs: string[]): Promise<HostGateway[]> {
  const out: HostGateway[] = [];
  for (const dir of dirs) {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!/^clawgate-gateway(-[A-Za-z0-9_-]+)?\.service$/.test(e.name)) continue;
      const path = join(dir, e.name);
      const text = await Deno.readTextFile(path).catch(() => "");
      const exec = text.split("\n").find((l) => l.startsWith("ExecStart="));
      const args = gatewayArgs(exec ? splitSystemdWords(exec.slice(10)) : []);
      out.push({ source: "unit", where: path, port: args.port, profile: args.profile });
    }
  }
  return out;
}

/**
 * Lists running `… gateway run …` processes of clawgate (compiled binary or `deno run
 * main.ts`) from `/proc/<pid>/cmdline`. Empty where `/proc` does not exist.
 */
export async function runningGateways(procDir = "/proc"): Promise<HostGateway[]> {
  const out: HostGateway[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(procDir));
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e.name)) continue;
    const raw = await Deno.readTextFile(join(procDir, e.name, "cmdline")).catch(() => "");
    const argv = raw.split("\0").filter((a) => a !== "");
    if (!argv.some((a) => /clawgate|main\.ts$/.test(a))) continue;
    const args = gatewayArgs(argv);
    if (!args.isGateway) continue;
    // `setpriv … -- deno …` and the scripts/clawgate shell show up once each; keep the leaf.
    if (/(^|\/)(sh|bash|dash|setpriv)$/.test(argv[0])) continue;
    out.push({
      source: "process",
      where: `pid ${e.name}`,
      pid: Number(e.name),
      port: args.port,
      profile: args.profile,
    });
  }
  return out;
}
