/**
 * Other clawgate gateways on this host, for `gateway status --deep` and the port check of
 * `gateway install`: installed units of every profile (their `--port`), and running
 * `gateway run` processes found with `ps`. Read-only.
 * @module
 */
import { join } from "node:path";
import type { CommandRunner } from "./run_command.ts";
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
 * main.ts`) from `ps -axo pid=,args=` (procps and BSD ps; `/proc/PID/cmdline` needs
 * `--allow-all` under Deno's permissions). Arguments are split on spaces, which is enough to
 * find `gateway run`, `--port` and `--profile`. Empty when `ps` is missing.
 *
 * @param run Runs `ps`.
 */
export async function runningGateways(run: CommandRunner): Promise<HostGateway[]> {
  const res = await run("ps", ["-axo", "pid=,args="]).catch(() => undefined);
  if (!res || res.code !== 0) return [];
  const out: HostGateway[] = [];
  for (const line of res.stdout.split("\n")) {
    const m = line.trim().match(/^(\d+)\s+(.*)$/);
    if (!m) continue;
    const argv = m[2].split(/\s+/);
    if (!argv.some((a) => /clawgate|main\.ts$/.test(a))) continue;
    const args = gatewayArgs(argv);
    if (!args.isGateway) continue;
    // `sh scripts/clawgate …` before its exec, and `setpriv … --` wrappers: keep the leaf.
    if (/(^|\/)(sh|bash|dash|setpriv)$/.test(argv[0])) continue;
    out.push({
      source: "process",
      where: `pid ${m[1]}`,
      pid: Number(m[1]),
      port: args.port,
      profile: args.profile,
    });
  }
  return out;
}
