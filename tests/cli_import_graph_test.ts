/**
 * What the CLI loads at start-up, checked on the module graph (`deno info --json`, static
 * imports only: a dynamic `import()` loads only when its command runs). The command tree must
 * load no npm package but type-flag and none of the code that runs commands; `health` must load
 * none of the gateway server, node host, tunnel supervisor, service, JSON5 parser, hono, ws,
 * commander, zod, the node/event/status schemas or the pinned-TLS path (issue 7 item 2).
 * @module
 */
import assert from "node:assert/strict";
import { staticClosure } from "./helpers/import_graph.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "cli start-up: the command tree loads only the parser, help and the command declarations",
  ...opts,
  async fn() {
    const { modules: loaded, dynamic } = await staticClosure(["main.ts", "src/cli/app.ts"]);
    const allowed = [
      /^main\.ts$/,
      /^src\/cli\/(app|context|exit_code|help|parse_argv|render|secret_input|spec|suggest|tree)\.ts$/,
      /^src\/cli\/commands\/(connection_flags|devices|flag_values|gateway|health|load_run|node|node_flags|nodes|service|status|tunnel)\.ts$/,
      /^src\/(build_kind|version)\.ts$/,
      /^src\/platform\/(deferred_import|log|secret_text)\.ts$/,
      /^npm:type-flag$/,
    ];
    const extra = [...loaded].filter((m) => !allowed.some((re) => re.test(m)));
    assert.deepEqual(extra, [], `the command tree loads more than it needs: ${extra.join(", ")}`);
    // Deno walks the graph behind every plain import() when the importing module loads: the
    // tree may hold none to implementations (they load through loadRun, src/cli/commands/load_run.ts).
    const walked = [...dynamic].filter((d) =>
      ![
        "main.ts -> src/cli/app.ts",
        "src/cli/app.ts -> src/cli/help.ts",
        "src/cli/app.ts -> src/cli/to_cli_error.ts",
        "src/cli/app.ts -> src/config/profile.ts",
        "src/cli/context.ts -> src/config/load.ts",
      ].includes(d)
    );
    assert.deepEqual(walked, [], `plain import() in the command tree: ${walked.join(", ")}`);
  },
});

Deno.test({
  name:
    "cli start-up: `health` loads no server, node, tunnel, service, JSON5, hono, ws or commander",
  ...opts,
  async fn() {
    // What `clawgate health` evaluates: main.ts, the tree (app.ts), the health implementation,
    // and the config loader (src/config/parse.ts, the JSON5 parser, only when a file exists).
    const { modules: loaded } = await staticClosure([
      "main.ts",
      "src/cli/app.ts",
      "src/cli/commands/health_run.ts",
      "src/config/load.ts",
    ]);
    const forbidden = [
      /^npm:(commander|zod|ws|hono|json5)$/,
      /^src\/protocol\/(mod|events|nodes|status)\.ts$/, // src/protocol/client.ts is the part it needs
      /^src\/gateway\/(?!bind\.ts$|generated_token\.ts$)/, // two pure helpers, no server
      /^src\/node\//,
      /^src\/tunnel\/(?!remote_target\.ts$|ssh_args\.ts$)/, // remote selection, no supervisor
      /^src\/service\//,
      /^src\/config\/(parse|schema)\.ts$/, // the config schema only when a file exists
      /^node:/, // each node: module costs milliseconds (Node's compatibility layer)
      /^src\/transport\/(pinned_tls|http_listener|ws_conn_socket|ws_frame|ws_upgrade|ws_upgrade_kit)\.ts$/,
      // Of the command modules only the declarations and health's own implementation.
      /^src\/cli\/commands\/(?!(connection_flags|devices|flag_values|gateway|health|health_run|load_run|node|node_flags|nodes|service|status|tunnel)\.ts$)/,
    ];
    const bad = [...loaded].filter((m) => forbidden.some((re) => re.test(m)));
    assert.deepEqual(bad, [], `health loads: ${bad.join(", ")}`);
    assert.ok(loaded.has("src/transport/gateway_client.ts"), "the graph walk found nothing");
  },
});
