import assert from "node:assert/strict";
import { parseArgv, type ParsedArgv, UsageError } from "./parse_argv.ts";
import type { CommandSpec } from "./spec.ts";
import { programSpec } from "./tree.ts";

function integer(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error("Expected an integer");
  return n;
}

const noop = () => Promise.resolve(async () => {});

/** A small tree: global --json/--config, a group with a leaf and a group-with-action. */
const root: CommandSpec = {
  name: "prog",
  summary: "test program",
  flags: [
    { name: "json", description: "json" },
    { name: "config", value: "<path>", description: "config" },
    { name: "help", short: "h", description: "help" },
  ],
  subcommands: [
    {
      name: "grp",
      summary: "group",
      subcommands: [{
        name: "leaf",
        summary: "leaf",
        args: [{ name: "a", description: "a", required: true }, {
          name: "rest",
          description: "rest",
          variadic: true,
        }],
        flags: [
          { name: "allow", value: "<bin...>", description: "allow", variadic: true },
          { name: "opt", value: "<K=V>", description: "opt", repeatable: true, default: [] },
          { name: "timeout", value: "<ms>", description: "t", default: "10000" },
          { name: "detach", short: "d", description: "detach" },
        ],
        load: noop,
      }],
    },
    {
      name: "tun",
      summary: "group with an action",
      args: [{ name: "target", description: "target" }],
      flags: [{ name: "port", value: "<n>", description: "port", parse: integer }],
      subcommands: [{ name: "up", summary: "up", load: noop }],
      load: noop,
    },
  ],
};

function usage(argv: string[], message: RegExp, suggestion?: RegExp): UsageError {
  let caught: unknown;
  try {
    parseArgv(root, argv);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof UsageError, `expected a UsageError for ${argv.join(" ")}`);
  assert.equal(caught.exitCode, 2);
  assert.match(caught.message, message);
  if (suggestion) assert.match(caught.suggestion ?? "", suggestion);
  return caught;
}

const names = (p: ParsedArgv) => p.path.map((c) => c.name).join(" ");

Deno.test("parseArgv(): global flags anywhere, --flag=value, defaults and given", () => {
  const p = parseArgv(root, ["--json", "grp", "leaf", "x", "--config=/c.json", "--timeout", "5"]);
  assert.equal(names(p), "prog grp leaf");
  assert.deepEqual(p.globals.json, true);
  assert.equal(p.globals.config, "/c.json");
  assert.equal(p.input.flags.timeout, "5");
  assert.deepEqual(p.input.flags.opt, []);
  assert.ok(p.input.given.has("timeout"));
  assert.ok(!p.input.given.has("opt"));
  // A value that starts with "-" needs the `=` form.
  assert.equal(parseArgv(root, ["grp", "leaf", "x", "--timeout=-5"]).input.flags.timeout, "-5");
  const d = parseArgv(root, ["grp", "leaf", "x"]);
  assert.equal(d.input.flags.timeout, "10000");
  assert.ok(!d.input.given.has("timeout"));
});

Deno.test("parseArgv(): variadic and repeatable flags, short aliases", () => {
  const p = parseArgv(root, [
    "grp",
    "leaf",
    "--allow",
    "echo",
    "uname",
    "--opt",
    "A=1",
    "--opt=B=2",
    "-d",
    "--",
    "x",
  ]);
  assert.deepEqual(p.input.flags.allow, ["echo", "uname"]);
  assert.deepEqual(p.input.flags.opt, ["A=1", "B=2"]);
  assert.equal(p.input.flags.detach, true);
  assert.equal(p.input.args.a, "x");
});

Deno.test("parseArgv(): `--` ends flags at the command; before the command it is skipped", () => {
  const p = parseArgv(root, ["--", "grp", "leaf", "box", "--", "ls", "--json", "-d"]);
  assert.equal(names(p), "prog grp leaf");
  assert.equal(p.globals.json, undefined);
  assert.equal(p.input.args.a, "box");
  assert.deepEqual(p.input.args.rest, ["ls", "--json", "-d"]);
  assert.deepEqual(p.input.afterDash, ["ls", "--json", "-d"]);
  assert.equal(parseArgv(root, ["grp", "leaf", "box"]).input.afterDash, undefined);
});

Deno.test("parseArgv(): a group with an action takes operands; subcommand names win", () => {
  const t = parseArgv(root, ["tun", "--port", "22", "host"]);
  assert.equal(names(t), "prog tun");
  assert.equal(t.input.args.target, "host");
  assert.equal(t.input.flags.port, 22);
  assert.equal(names(parseArgv(root, ["tun", "up"])), "prog tun up");
});

Deno.test("parseArgv(): help words and flags", () => {
  assert.equal(
    parseArgv(root, ["help", "grp", "leaf"]).helpPath?.map((c) => c.name).join(" "),
    "prog grp leaf",
  );
  assert.equal(parseArgv(root, ["grp", "help", "leaf"]).helpPath?.length, 3);
  assert.equal(parseArgv(root, ["grp", "leaf", "--help"]).globals.help, true);
  assert.equal(parseArgv(root, ["grp", "leaf", "-h"]).globals.help, true);
});

Deno.test("parseArgv(): every misuse is a UsageError naming it", () => {
  usage(["grp", "lef"], /unknown command 'lef'/, /Did you mean leaf\?/);
  usage(["grp", "leaf", "x", "--timout", "1"], /unknown option '--timout'/, /--timeout/);
  usage(["grp", "leaf", "x", "-z"], /unknown option '-z'/);
  usage(["grp", "leaf", "x", "--timeout"], /option '--timeout <ms>' argument missing/);
  usage(["grp", "leaf", "x", "--timeout", "--json"], /argument missing/);
  usage(["grp", "leaf"], /missing required argument 'a'/);
  usage(["tun", "a", "b"], /too many arguments for 'tun'\. Expected 1 argument but got 2\./);
  usage(["tun", "--port", "x"], /option '--port <n>' argument 'x' is invalid/);
  assert.equal(usage(["grp", "leaf", "--bad"], /unknown/).commandLine, "prog grp leaf");
});

Deno.test("programSpec: names and flags are unique per command, every leaf loads", () => {
  const walk = (c: CommandSpec, path: string[]): void => {
    const here = [...path, c.name];
    const flags = [...(c.flags ?? []), ...(path.length ? programSpec.flags ?? [] : [])];
    const longs = flags.map((f) => f.name);
    assert.equal(new Set(longs).size, longs.length, `duplicate flag in ${here.join(" ")}`);
    const subs = (c.subcommands ?? []).map((s) => s.name);
    assert.equal(new Set(subs).size, subs.length, `duplicate command in ${here.join(" ")}`);
    assert.ok(c.load || subs.length, `${here.join(" ")} neither runs nor has subcommands`);
    for (const s of c.subcommands ?? []) walk(s, here);
  };
  walk(programSpec, []);
});
