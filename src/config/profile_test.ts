import assert from "node:assert/strict";
import { resolveStateDir } from "../platform/state_dir.ts";
import { resolveGatewayPort } from "./load.ts";
import { ConfigError } from "./parse.ts";
import {
  defaultGatewayPort,
  PROFILE_PORT_STEP,
  profileNameProblem,
  resolveProfile,
} from "./profile.ts";

const envOf = (vars: Record<string, string>) => (k: string) => vars[k];

Deno.test("resolveProfile(): unset, empty and 'default' mean no profile", () => {
  assert.equal(resolveProfile(envOf({})), undefined);
  assert.equal(resolveProfile(envOf({ CLAWGATE_PROFILE: "" })), undefined);
  assert.equal(resolveProfile(envOf({ CLAWGATE_PROFILE: "Default" })), undefined);
  assert.equal(resolveProfile(envOf({ CLAWGATE_PROFILE: "work_2" })), "work_2");
});

Deno.test("resolveProfile() rejects names that could escape a path or a unit name", () => {
  for (const bad of ["../x", "a/b", "a b", "-x", "a.b", "x".repeat(33), "é", "a@b"]) {
    assert.ok(profileNameProblem(bad), bad);
    assert.throws(() => resolveProfile(envOf({ CLAWGATE_PROFILE: bad })), ConfigError);
  }
});

Deno.test("resolveStateDir(): ~/.clawgate-NAME under a profile; explicit dir still wins", () => {
  assert.equal(resolveStateDir(envOf({ HOME: "/h" })), "/h/.clawgate");
  assert.equal(resolveStateDir(envOf({ HOME: "/h", CLAWGATE_PROFILE: "a" })), "/h/.clawgate-a");
  assert.equal(
    resolveStateDir(envOf({ HOME: "/h", CLAWGATE_PROFILE: "a", CLAWGATE_STATE_DIR: "/s" })),
    "/s",
  );
});

Deno.test("defaultGatewayPort(): 18789, dev 19001 as upstream, others on a 20-port grid", () => {
  assert.equal(defaultGatewayPort(undefined), 18789);
  assert.equal(defaultGatewayPort("dev"), 19001);
  const seen = new Set<number>();
  for (const name of ["a", "b", "work", "rescue", "ops", "staging", "prod", "ci"]) {
    const port = defaultGatewayPort(name);
    assert.equal((port - 18789) % PROFILE_PORT_STEP, 0, name);
    assert.ok(port > 18789 && port < 65536, `${name} → ${port}`);
    assert.equal(defaultGatewayPort(name), port, "stable");
    seen.add(port);
  }
  assert.equal(seen.size, 8, "these common names get distinct ports");
});

Deno.test("resolveGatewayPort(): config and env beat the profile default", () => {
  const env = envOf({ CLAWGATE_PROFILE: "work" });
  assert.equal(resolveGatewayPort(undefined, env, {}), defaultGatewayPort("work"));
  assert.equal(resolveGatewayPort(undefined, env, { gateway: { port: 4000 } }), 4000);
  assert.equal(
    resolveGatewayPort(
      undefined,
      envOf({ CLAWGATE_PROFILE: "work", CLAWGATE_GATEWAY_PORT: "5000" }),
      {},
    ),
    5000,
  );
  assert.equal(resolveGatewayPort(6000, env, {}), 6000);
});
