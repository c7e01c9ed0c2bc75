/**
 * `clawgate --json node connect` as a subprocess for tests, through scripts/clawgate (the
 * compile-time permissions): captured stdout/stderr, NDJSON state lines, bounded waits.
 * @module
 */
import { baseEnv, CLAWGATE, runClawgate } from "./cli.ts";

/** A `clawgate --json node connect` subprocess. */
export interface NodeProc {
  pid: number;
  stdout(): string;
  stderr(): string;
  /** The NDJSON state lines so far. */
  states(): Array<Record<string, unknown>>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  signal(sig: Deno.Signal): void;
  status: Promise<Deno.CommandStatus>;
}

/**
 * Starts `clawgate --json node connect <args>` with its own state dir.
 *
 * @param args `node connect` flags, e.g. `["--url", url, "--token", t]`.
 * @param stateDir The node's CLAWGATE_STATE_DIR (its identity and device tokens).
 * @param env Extra env for the node process.
 */
export function startNode(
  args: string[],
  stateDir: string,
  env: Record<string, string> = {},
): NodeProc {
  const child = new Deno.Command(CLAWGATE, {
    args: ["--json", "node", "connect", ...args],
    env: baseEnv({ CLAWGATE_STATE_DIR: stateDir, ...env }),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let out = "";
  let err = "";
  const p1 = (async () => {
    for await (const c of child.stdout.pipeThrough(new TextDecoderStream())) out += c;
  })();
  const p2 = (async () => {
    for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) err += c;
  })();
  let exited = false;
  const status = child.status.then(async (s) => {
    await Promise.all([p1, p2]);
    exited = true;
    return s;
  });
  return {
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    states: () => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)),
    signal: (sig) => {
      try {
        child.kill(sig);
      } catch { /* gone */ }
    },
    status,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out + err)) {
        if (exited) throw new Error(`node exited before ${pattern}:\n${out}\n${err}`);
        if (Date.now() > deadline) {
          throw new Error(`timeout waiting for ${pattern}:\n${out}\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/**
 * Starts a node on `gw` with a fresh state dir and approves its command surface with
 * `clawgate nodes approve`, so it is ready for `nodes invoke`.
 *
 * @param gw The gateway (its url and token are passed to the node).
 * @param name The node's display name.
 * @param args Extra `node connect` flags (e.g. `--exec-policy allowlist --allow echo`).
 * @param env Extra env for the node process.
 */
export async function startApprovedNode(
  gw: { url: string; token: string },
  name: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<NodeProc> {
  const stateDir = await Deno.makeTempDir({ prefix: "clawgate-node-" });
  const node = startNode(
    ["--url", gw.url, "--token", gw.token, "--display-name", name, ...args],
    stateDir,
    env,
  );
  try {
    await node.waitFor(/"state":"pending-approval"/);
    const approve = await runClawgate([
      "nodes",
      "approve",
      name,
      "--url",
      gw.url,
      "--token",
      gw.token,
    ]);
    if (approve.code !== 0) throw new Error(`nodes approve ${name} failed:\n${approve.stderr}`);
    await node.waitFor(/"state":"approved"/);
  } catch (err) {
    node.signal("SIGKILL");
    await node.status;
    throw err;
  }
  return node;
}
