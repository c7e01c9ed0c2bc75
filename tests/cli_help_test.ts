/**
 * The command line as a user meets it, through the real `clawgate` (scripts/clawgate): every
 * command in the tree is reachable and its `--help` lists every flag it takes; usage errors exit
 * 2 naming the problem and the command whose help explains it; `--flag=value` works.
 * @module
 */
import assert from "node:assert/strict";
import { programSpec } from "../src/cli/tree.ts";
import type { CommandSpec } from "../src/cli/spec.ts";
import { runClawgate } from "./helpers/cli.ts";
import { freePort } from "./helpers/net.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Every command path below the program, e.g. ["nodes", "invoke"]. */
function commandPaths(c: CommandSpec, path: string[] = []): Array<[string[], CommandSpec]> {
  return (c.subcommands ?? []).flatMap((s) => [
    [[...path, s.name], s] as [string[], CommandSpec],
    ...commandPaths(s, [...path, s.name]),
  ]);
}

Deno.test({
  name: "cli help: every command is reachable and its --help lists all its flags",
  ...opts,
  async fn() {
    const globals = (programSpec.flags ?? []).filter((f) => !f.hidden);
    const paths = commandPaths(programSpec);
    assert.ok(paths.length > 30, `only ${paths.length} commands`);
    for (const [path, spec] of [[[], programSpec] as [string[], CommandSpec], ...paths]) {
      const r = await runClawgate([...path, "--help"]);
      const where = `clawgate ${path.join(" ")} --help`;
      assert.equal(r.code, 0, `${where}: ${r.stderr}`);
      assert.equal(r.stderr, "", where);
      assert.ok(r.stdout.startsWith(`Usage: clawgate ${path.map((p) => p + " ").join("")}`), where);
      for (const f of [...(spec.flags ?? []).filter((f) => !f.hidden), ...globals]) {
        assert.ok(r.stdout.includes(`--${f.name}`), `${where} lacks --${f.name}`);
        if (f.short) assert.ok(r.stdout.includes(`-${f.short}, --${f.name}`), where);
      }
      const helpLines = r.stdout.split("\n").filter((l) => l.trimStart().startsWith("-h, --help"));
      assert.equal(helpLines.length, 1, `${where} lists -h, --help ${helpLines.length} times`);
      for (const f of (spec.flags ?? []).filter((f) => f.hidden)) {
        assert.ok(!r.stdout.includes(`--${f.name}`), `${where} shows hidden --${f.name}`);
      }
      for (const s of spec.subcommands ?? []) {
        assert.match(r.stdout, new RegExp(`\\n  ${s.name}\\b`), `${where} lacks ${s.name}`);
      }
      for (const a of spec.args ?? []) assert.ok(r.stdout.includes(a.name), where);
    }
    // A group without its subcommand (nothing ran): its help on stderr, exit 0, as commander did.
    for (const group of [[], ["nodes"], ["gateway"]]) {
      const r = await runClawgate(group);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "");
      assert.ok(r.stderr.startsWith(`Usage: clawgate ${group.map((g) => g + " ").join("")}`));
    }
    // `help <command…>` at any level shows the same text as `--help`.
    const viaFlag = await runClawgate(["nodes", "invoke", "--help"]);
    for (const form of [["help", "nodes", "invoke"], ["nodes", "help", "invoke"]]) {
      const r = await runClawgate(form);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, viaFlag.stdout, form.join(" "));
    }
  },
});

Deno.test("cli help: every flag of every command is documented in README.md", () => {
  const readme = Deno.readTextFileSync(new URL("../README.md", import.meta.url));
  for (
    const [path, spec] of [
      [[], programSpec] as [string[], CommandSpec],
      ...commandPaths(programSpec),
    ]
  ) {
    for (const f of (spec.flags ?? []).filter((f) => !f.hidden)) {
      assert.ok(readme.includes(`--${f.name}`), `README lacks --${f.name} (${path.join(" ")})`);
    }
  }
});

Deno.test({
  name: "cli usage errors: exit 2 with the problem, a suggestion and where to look",
  ...opts,
  async fn() {
    const cases: Array<[string[], RegExp]> = [
      [
        ["helth"],
        /^error: unknown command 'helth'\n\(Did you mean health\?\)\n\(run clawgate --help for usage\)\n$/,
      ],
      [
        ["nodes", "invoke", "box", "system.which", "--parms", "{}"],
        /unknown option '--parms'\n\(Did you mean --params\?\)\n\(run clawgate nodes invoke --help for usage\)/,
      ],
      [["health", "--url"], /^error: option '--url <url>' argument missing\n/],
      [["health", "--url", "--token", "t"], /option '--url <url>' argument missing/],
      [
        ["gateway", "call"],
        /missing required argument 'method'\n\(run clawgate gateway call --help/,
      ],
      [["gateway", "send", "--to", "x"], /required option '--message <text>' not specified/],
      [
        ["gateway", "run", "--bind", "wide"],
        /argument 'wide' is invalid\. Allowed choices are loopback, lan/,
      ],
      [["tunnel", "--ssh-port", "99999"], /option '--ssh-port <n>' argument '99999' is invalid/],
      [["health", "extra"], /too many arguments for 'health'/],
      [["--profile", "a b", "status"], /option '--profile <name>' argument 'a b' is invalid/],
    ];
    for (const [args, want] of cases) {
      const r = await runClawgate(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, want, args.join(" "));
      assert.equal(r.stdout, "", args.join(" "));
      const json = await runClawgate([...args, "--json"]);
      assert.equal(json.code, 2, args.join(" "));
      const doc = JSON.parse(json.stdout);
      assert.equal(doc.ok, false);
      assert.equal(doc.error.code, "usage");
    }
  },
});

Deno.test({
  name: "cli flags: --flag=value works; tunnel and node connect take the shared secret-file flags",
  ...opts,
  async fn() {
    const port = freePort();
    const r = await runClawgate(["health", `--url=ws://127.0.0.1:${port}`, "--token=t", "--json"]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(JSON.parse(r.stdout).error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    // Secret files work for every command that takes a secret (one shared declaration).
    for (const cmd of [["tunnel", "--once", "nobody@127.0.0.1"], ["node", "connect"]]) {
      const missing = await runClawgate([...cmd, "--token-file", "/nonexistent/clawgate-token"]);
      assert.equal(missing.code, 3, missing.stderr);
      assert.match(
        missing.stderr,
        /Cannot read secret file \/nonexistent\/clawgate-token \(--token-file\)/,
      );
      const both = await runClawgate([...cmd, "--token", "t", "--token-file", "/x"]);
      assert.equal(both.code, 2, both.stderr);
      assert.match(both.stderr, /--token and --token-file cannot be used together/);
    }
  },
});
