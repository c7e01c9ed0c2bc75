/**
 * Every unit `gateway install` / `node install` generates, built by the real install code
 * from a CLI context, passes `systemd-analyze verify` (Debian `systemd`, installed by .ci/run)
 * and carries no secret. HOME has a space in it, so every path needs quoting.
 */
import assert from "node:assert/strict";
import { createContext } from "../src/cli/context.ts";
import {
  gatewayInstallPlan,
  nodeInstallPlan,
  serviceTarget,
} from "../src/cli/commands/service_plan.ts";
import type { InstallPlan } from "../src/service/lifecycle.ts";
import { assertUnitVerifies } from "./helpers/systemd_verify.ts";

const SECRET = "tok-do-not-leak-4242";

async function hasVerify(): Promise<boolean> {
  try {
    return (await new Deno.Command("systemd-analyze", { args: ["--version"] }).output()).success;
  } catch {
    return false;
  }
}

async function plans(home: string): Promise<Array<{ name: string; plan: InstallPlan }>> {
  const out: Array<{ name: string; plan: InstallPlan }> = [];
  const mk = (vars: Record<string, string>, globals: Record<string, string> = {}) =>
    createContext({
      signal: new AbortController().signal,
      env: (k) => ({ HOME: home, USER: "u", ...vars } as Record<string, string>)[k],
      stdout: () => {},
      stderr: () => {},
    }, globals);
  {
    const ctx = mk({});
    const t = serviceTarget(ctx, "gateway");
    out.push({ name: "gateway default", plan: await gatewayInstallPlan(ctx, t, {}) });
  }
  {
    const ctx = mk({ CLAWGATE_GATEWAY_TOKEN: SECRET }, { profile: "work" });
    const t = serviceTarget(ctx, "gateway");
    out.push({ name: "gateway profile+env token", plan: await gatewayInstallPlan(ctx, t, {}) });
  }
  {
    const ctx = mk({});
    const t = serviceTarget(ctx, "gateway", true, 0);
    out.push({
      name: "gateway system + password",
      plan: await gatewayInstallPlan(ctx, t, { port: 4000, password: SECRET }),
    });
  }
  {
    const ctx = mk({ CLAWGATE_PROFILE: "b" });
    const t = serviceTarget(ctx, "node");
    out.push({
      name: "node profile + flags",
      plan: await nodeInstallPlan(ctx, t, {
        url: "ws://10.0.0.5:18789",
        token: SECRET,
        displayName: "build box 1",
        execPolicy: "allowlist",
        allow: ["/opt/my tools/run", "echo"],
      }),
    });
  }
  return out;
}

Deno.test("generated units pass systemd-analyze verify and hold no secret", async (t) => {
  if (!(await hasVerify())) {
    throw new Error("systemd-analyze is missing: apt-get install systemd (.ci/run does)");
  }
  const base = await Deno.makeTempDir({ prefix: "clawgate-units-" });
  const home = `${base}/home dir`;
  const runtime = `${base}/run`;
  await Deno.mkdir(runtime, { mode: 0o700 });
  try {
    for (const { name, plan } of await plans(home)) {
      await t.step(name, async () => {
        assert.ok(!plan.content.includes(SECRET), plan.content);
        if (name.includes("token") || name.includes("password") || name.includes("node")) {
          assert.ok(plan.secret, "the secret goes to a file");
          assert.equal(plan.secret.value, SECRET);
          assert.match(plan.content, /--(token|password)-file "[^"]*home dir[^"]*"/);
        }
        const dir = `${base}/units-${crypto.randomUUID()}`;
        await Deno.mkdir(dir);
        const file = `${dir}/${plan.path.split("/").pop()}`;
        await Deno.writeTextFile(file, plan.content);
        await assertUnitVerifies(file, runtime, {
          system: plan.id.scope === "system",
          context: plan.content,
        });
      });
    }
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
