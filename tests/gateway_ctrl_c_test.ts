/**
 * Ctrl-C on the README's quick start (issue 11 item 11), done the way a terminal does it: the
 * documented command runs in its own process group and SIGINT goes to the whole group
 * (`kill -INT -PGID`), so every wrapper (`npx`, `deno task`, `sh scripts/clawgate`) gets it
 * too. The gateway must still shut down gracefully: a connected client sees close 1012 and the
 * log ends with `shutdown complete`.
 */
import assert from "node:assert/strict";
import { baseEnv } from "./helpers/cli.ts";
import { freePort } from "./helpers/net.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

const ROOT = new URL("../", import.meta.url).pathname;

function onPath(bin: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${bin}`).isFile;
    } catch {
      return false;
    }
  });
}

async function ctrlC(command: string[]): Promise<void> {
  const port = freePort();
  const stateDir = await Deno.makeTempDir();
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    cwd: ROOT,
    detached: true, // its own process group, like a terminal's foreground job
    env: baseEnv({ CLAWGATE_STATE_DIR: stateDir, CLAWGATE_GATEWAY_PORT: String(port) }),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let logs = "";
  const pump = (async () => {
    for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) logs += c;
  })();
  try {
    for (let i = 0; i < 1200 && !/listening on/.test(logs); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(logs, /listening on/);
    const token = (await Deno.readTextFile(`${stateDir}/gateway-token`)).trim();
    const ws = await openRaw(`ws://127.0.0.1:${port}`);
    await ws.frame(1);
    ws.send(connectFrame({ auth: { token } }));
    assert.equal((await ws.frame(2)).ok, true);
    Deno.kill(-child.pid, "SIGINT");
    assert.equal((await ws.closed(20_000)).code, 1012);
    await child.status;
    await pump; // EOF once every process of the group (the gateway too) has exited
    assert.match(logs, /shutdown complete/);
  } finally {
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch { /* gone */ }
    await pump.catch(() => {});
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test({
  name: "Ctrl-C to the process group of `deno task gateway` shuts down gracefully",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    for (let round = 0; round < 3; round++) await ctrlC([Deno.execPath(), "task", "gateway"]);
  },
});

Deno.test({
  name: "Ctrl-C to the process group of `npx -y deno@2.9.6 task gateway` shuts down gracefully",
  ignore: !onPath("npx"),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await ctrlC(["npx", "-y", "deno@2.9.6", "task", "gateway"]);
  },
});
