/**
 * `gateway install` / `node install` under a real systemd user manager (systemd 252, started
 * by tests/helpers/user_systemd.ts in a private mount namespace): the service comes up and
 * `gateway status` shows it active with a healthy probe; a SIGKILLed gateway is restarted by
 * systemd; `restart` with a broken config refuses (exit 3) and leaves it running; install
 * twice / --force; a node service connects with its token in a 0600 file, never on its
 * command line, and comes back after a restart; uninstall removes everything. A node installed
 * with `--ssh` reaches a gateway through its own ssh to a real sshd.
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { descendantsOf, HAVE_SSHD, nodeSshArgs, sshClientsTo, startSshd } from "./helpers/sshd.ts";
import { freePort } from "./helpers/net.ts";
import { startUserSystemd, type UserSystemd } from "./helpers/user_systemd.ts";
import { ensureDist } from "../scripts/dist_inputs.ts";

const denoDir = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;

/** Polls `fn` every 200 ms until it returns a value (≤ `timeoutMs`). */
async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
}

/**
 * Registers a test that runs `body` against a fresh user manager, stopped afterwards; skipped
 * loudly where none can run (the static checks in service_units_test.ts still run).
 */
function systemdTest(name: string, body: (sd: UserSystemd) => Promise<void>): void {
  Deno.test({
    name,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const sd = await startUserSystemd();
      if (typeof sd === "string") {
        // deno-lint-ignore no-console -- a skipped suite must be loud
        console.error(`!!! real-systemd service test SKIPPED: ${sd}`);
        return;
      }
      try {
        await body(sd);
      } finally {
        await sd.stop();
      }
    },
  });
}

systemdTest(
  "gateway + node as systemd user services: status, crash restart, refusal, reinstall",
  async (sd) => {
    const env = { ...sd.env, DENO_DIR: denoDir, CLAWGATE_PROFILE: "svc" };
    const cli = (args: string[]) => runClawgate(args, { env, timeoutMs: 60_000 });
    const stateDir = `${sd.home}/.clawgate-svc`;
    const gwUnit = `${sd.home}/.config/systemd/user/clawgate-gateway-svc.service`;
    const nodeUnit = `${sd.home}/.config/systemd/user/clawgate-node-svc.service`;
    const port = freePort();
    const install = await cli(["gateway", "install", "--port", String(port)]);
    assert.equal(install.code, 0, install.stderr);
    assert.match(install.stdout, /Installed: clawgate-gateway-svc\.service \(systemd user\)/);
    assert.match(install.stderr, /loginctl enable-linger/);
    const clash = await runClawgate(["gateway", "install", "--port", String(port)], {
      env: { ...env, CLAWGATE_PROFILE: "other" },
    });
    assert.equal(clash.code, 3, clash.stderr);
    assert.match(clash.stderr, /Another clawgate gateway uses this port: .*clawgate-gateway-svc/);

    type Status = {
      reachable: boolean;
      health?: { ok?: boolean };
      service: {
        installed: boolean;
        path: string;
        state?: { activeState: string; pid?: number; since?: string; restarts?: number };
      };
    };
    const status = async () => {
      const r = await cli(["--json", "gateway", "status"]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as Status;
    };
    const up = await until("a healthy gateway service", async () => {
      const s = await status();
      return s.reachable && s.service.state?.activeState === "active" ? s : undefined;
    });
    assert.equal(up.service.installed, true);
    assert.equal(up.service.path, gwUnit);
    assert.ok(up.service.state!.pid! > 0 && up.service.state!.since);
    assert.equal(up.health?.ok, true);
    const human = await cli(["gateway", "status"]);
    assert.match(human.stdout, /Service {3}clawgate-gateway-svc\.service \(systemd user\)/);
    assert.match(human.stdout, /state {3}active \(running\), enabled/);
    assert.match(human.stdout, /Reachable yes/);

    // Crash: systemd restarts it after RestartSec (5 s) with a new pid.
    const pid1 = up.service.state!.pid!;
    Deno.kill(pid1, "SIGKILL");
    const back = await until("the restarted gateway", async () => {
      const s = await status();
      const st = s.service.state;
      return s.reachable && st?.pid && st.pid !== pid1 ? s : undefined;
    });
    assert.ok(back.service.state!.restarts! >= 1);

    // Broken config: restart refuses with exit 3 and the service keeps its process.
    const pid2 = back.service.state!.pid!;
    await Deno.writeTextFile(`${stateDir}/clawgate.json`, `{ gateway: { port: "nope" } }`);
    const refused = await cli(["gateway", "restart"]);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(
      refused.stderr,
      /Refusing to restart clawgate-gateway-svc\.service: .*gateway\.port/,
    );
    assert.equal((await status().catch(() => undefined))?.service.state?.pid ?? pid2, pid2);
    const stillRunning = await sd.systemctl([
      "show",
      "-p",
      "MainPID",
      "--value",
      "clawgate-gateway-svc.service",
    ]);
    assert.equal(Number(stillRunning.stdout.trim()), pid2, "not restarted into a crash loop");
    await Deno.remove(`${stateDir}/clawgate.json`);
    const restarted = await cli(["gateway", "restart"]);
    assert.equal(restarted.code, 0, restarted.stderr);

    // Install twice: same → no-op; different port → refused with the diff; --force replaces.
    const again = await cli(["gateway", "install", "--port", String(port)]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Already installed \(no difference\)/);
    const port2 = freePort();
    const differs = await cli(["gateway", "install", "--port", String(port2)]);
    assert.equal(differs.code, 1);
    assert.match(differs.stderr, new RegExp(`- ExecStart=.*--port ${port}`));
    assert.match(differs.stderr, new RegExp(`\\+ ExecStart=.*--port ${port2}`));
    assert.match(differs.stderr, /install --force/);
    const forced = await cli(["gateway", "install", "--port", String(port2), "--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    await until("the gateway on its new port", async () => {
      const s = await status();
      return s.reachable && (s as unknown as { url: string }).url.endsWith(`:${port2}`)
        ? s
        : undefined;
    });

    // Node service: token from a file, kept in its own 0600 file, never in argv.
    const token = (await Deno.readTextFile(`${stateDir}/gateway-token`)).trim();
    const tokenFile = `${sd.home}/node-token`;
    await Deno.writeTextFile(tokenFile, token + "\n", { mode: 0o600 });
    const nodeInstall = await cli([
      "node",
      "install",
      "--url",
      `ws://127.0.0.1:${port2}`,
      "--token-file",
      tokenFile,
      "--display-name",
      "svc box",
    ]);
    assert.equal(nodeInstall.code, 0, nodeInstall.stderr);
    const unitText = await Deno.readTextFile(nodeUnit);
    assert.ok(!unitText.includes(token), unitText);
    assert.match(unitText, /--token-file \S*\.clawgate-svc\/service\/node\.token/);
    const secretStat = await Deno.stat(`${stateDir}/service/node.token`);
    assert.equal(secretStat.mode! & 0o777, 0o600);
    const nodeConnected = async () => {
      const r = await cli([
        "--json",
        "nodes",
        "list",
        "--url",
        `ws://127.0.0.1:${port2}`,
        "--token",
        token,
      ]);
      if (r.code !== 0) return undefined;
      const n = (JSON.parse(r.stdout).nodes as Array<{ displayName: string; connected: boolean }>)
        .find((x) => x.displayName === "svc box" && x.connected);
      return n;
    };
    await until("the node service connected", nodeConnected);
    const nodeStatus = JSON.parse((await cli(["--json", "node", "status"])).stdout);
    assert.equal(nodeStatus.service.state.activeState, "active");
    const nodePid = nodeStatus.service.state.pid as number;
    const argv = (await Deno.readTextFile(`/proc/${nodePid}/cmdline`)).split("\0");
    assert.ok(argv.includes("connect") && !argv.includes(token), argv.join(" "));

    const nodeRestart = await cli(["node", "restart"]);
    assert.equal(nodeRestart.code, 0, nodeRestart.stderr);
    await until("the node back after restart", async () => {
      const s = JSON.parse((await cli(["--json", "node", "status"])).stdout);
      return s.service.state.pid !== nodePid ? await nodeConnected() : undefined;
    });

    // Stop, then uninstall both: files gone, status says not installed.
    assert.equal((await cli(["node", "stop"])).code, 0);
    for (const kind of ["node", "gateway"]) {
      const u = await cli([kind, "uninstall"]);
      assert.equal(u.code, 0, u.stderr);
      assert.match(u.stdout, /Uninstalled/);
    }
    await assert.rejects(Deno.stat(gwUnit), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(nodeUnit), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(`${stateDir}/service/node.token`), Deno.errors.NotFound);
    const gone = await status();
    assert.equal(gone.service.installed, false);
    const startMissing = await cli(["gateway", "start"]);
    assert.equal(startMissing.code, 1);
    assert.match(startMissing.stderr, /Install it first: clawgate --profile svc gateway install/);
    assert.equal((await cli(["gateway", "stop"])).code, 0, "stopping nothing is fine");
  },
);

systemdTest(
  "dist/clawgate (copied to a path with a space) installs a unit that runs that file",
  async (sd) => {
    const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
    const kind = await ensureDist(root);
    const bin = `${sd.home}/my apps/clawgate`;
    await Deno.mkdir(`${sd.home}/my apps`);
    await Deno.copyFile(`${root}/dist/clawgate`, bin);
    await Deno.chmod(bin, 0o755);
    const env = { ...sd.env, PATH: "/usr/bin:/bin" };
    const run = async (args: string[]) => {
      const out = await new Deno.Command(bin, {
        args,
        env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      })
        .output();
      const dec = new TextDecoder();
      return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
    };
    const port = freePort();
    const install = await run(["--profile", "d", "gateway", "install", "--port", String(port)]);
    assert.equal(install.code, 0, install.stderr);
    const unit = await Deno.readTextFile(
      `${sd.home}/.config/systemd/user/clawgate-gateway-d.service`,
    );
    assert.match(unit, /^ExecStart="[^"]*\/my apps\/clawgate" --profile d gateway run /m);
    assert.doesNotMatch(unit, /DENO_DIR/, `${kind}: no deno cache for a built file`);
    await until("the dist gateway service healthy", async () => {
      const r = await run(["--profile", "d", "--json", "gateway", "status"]);
      const s = JSON.parse(r.stdout);
      return s.reachable && s.service.state?.activeState === "active" ? s : undefined;
    });
    assert.equal((await run(["--profile", "d", "gateway", "uninstall"])).code, 0);
  },
);

systemdTest(
  "node install --ssh: the node service reaches a loopback-only gateway through its own ssh",
  async (sd) => {
    if (!HAVE_SSHD) {
      // deno-lint-ignore no-console -- a skipped test must be loud
      console.error("!!! node install --ssh under systemd SKIPPED: no sshd");
      return;
    }
    const sshd = await startSshd();
    const gw = await startGatewayProcess();
    const env = { ...sd.env, DENO_DIR: denoDir, CLAWGATE_PROFILE: "ssh" };
    const cli = (args: string[]) => runClawgate(args, { env, timeoutMs: 60_000 });
    try {
      const tokenFile = `${sd.home}/gw-token`;
      await Deno.writeTextFile(tokenFile, gw.token + "\n", { mode: 0o600 });
      const install = await cli([
        "node",
        "install",
        ...nodeSshArgs(sshd, gw.port),
        "--token-file",
        tokenFile,
        "--display-name",
        "ssh svc box",
      ]);
      assert.equal(install.code, 0, install.stderr);
      const unit = await Deno.readTextFile(
        `${sd.home}/.config/systemd/user/clawgate-node-ssh.service`,
      );
      assert.match(unit, new RegExp(`node connect --ssh ${sshd.target}:${sshd.port} `));
      assert.ok(!unit.includes(gw.token), unit);
      // Connected, and through ssh: the node service's process has an ssh child.
      await until("the node service connected over ssh", async () => {
        const r = await cli(["--json", "nodes", "list", "--url", gw.url, "--token", gw.token]);
        if (r.code !== 0) return undefined;
        return (JSON.parse(r.stdout).nodes as Array<{ displayName: string; connected: boolean }>)
          .find((n) => n.displayName === "ssh svc box" && n.connected);
      });
      const pid = JSON.parse((await cli(["--json", "node", "status"])).stdout).service.state
        .pid as number;
      const children = await descendantsOf(pid);
      const commands = await Promise.all(
        children.map((c) => Deno.readTextFile(`/proc/${c}/cmdline`).catch(() => "")),
      );
      assert.ok(
        commands.some((c) => c.split("\0")[0].endsWith("ssh") && c.includes(String(gw.port))),
        commands.join("\n"),
      );
      assert.deepEqual(
        await sshClientsTo(sshd.port),
        children.filter((_, i) => commands[i].split("\0")[0].endsWith("ssh")),
      );
    } finally {
      await cli(["node", "uninstall"]);
      await gw.stop();
      await sshd.stop();
    }
  },
);
