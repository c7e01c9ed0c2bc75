/**
 * What `gateway run` loads before its bind (issue 7 item 3): the server module's static graph
 * holds the state and the listener, none of `ws`, hono, Node's compatibility layer, the HTTP
 * app, the session and method code or the extensions; and it holds no plain `import()` of
 * them either (Deno would walk their graphs before the bind: src/platform/deferred_import.ts).
 * After the bind, serving a session (the HTTP app, the session code, the WebSocket upgrade and
 * framing) loads no `node:` module and no `npm:ws` either: the gateway frames WebSockets itself.
 * @module
 */
import assert from "node:assert/strict";
import { staticClosure } from "./helpers/import_graph.ts";

const FORBIDDEN_BEFORE_BIND = [
  /^npm:(ws|hono|json5|commander)$/,
  /^node:/, // each node: module costs milliseconds (Node's compatibility layer)
  /^src\/gateway\/(app|connection|handshake|extensions|serving|session)\.ts$/,
  /^src\/gateway\/(methods|nodes|devices)\//,
  /^src\/protocol\/(mod|events|nodes|status|utf8_length)\.ts$/,
  /^src\/transport\/(ws_conn_socket|ws_frame|ws_upgrade_kit|websocket_like)\.ts$/,
  /^src\/ui\//,
];

Deno.test({
  name: "gateway start-up: nothing but the state and the listener loads before the bind",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { modules, dynamic } = await staticClosure(["src/gateway/server.ts"]);
    const bad = [...modules].filter((m) => FORBIDDEN_BEFORE_BIND.some((re) => re.test(m)));
    assert.deepEqual(bad, [], `loaded before the bind: ${bad.join(", ")}`);
    assert.ok(modules.has("src/transport/http_listener.ts"), "the graph walk found nothing");
    assert.deepEqual([...dynamic], [], "plain import() in the pre-bind graph");
  },
});

Deno.test({
  name: "gateway start-up: `gateway run` itself loads none of it before the bind either",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // What `gateway run` evaluates before startGateway binds: its implementation and the
    // modules it imports on the way (server, TLS helpers, state dir hygiene).
    const { modules } = await staticClosure([
      "src/cli/commands/gateway_run.ts",
      "src/gateway/server.ts",
      "src/gateway/tls.ts",
      "src/platform/state_dir_hygiene.ts",
    ]);
    const bad = [...modules].filter((m) => FORBIDDEN_BEFORE_BIND.some((re) => re.test(m)));
    assert.deepEqual(bad, [], `gateway run loads before the bind: ${bad.join(", ")}`);
  },
});

Deno.test({
  name: "gateway serving: nothing of Node's compatibility layer or npm:ws, up to a session",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // Everything `gateway run` loads up to serving a session without TLS: the pre-bind graph,
    // the deferred serving code (HTTP app, session, methods) and extensions, the upgrade path.
    const { modules } = await staticClosure([
      "src/cli/commands/gateway_run.ts",
      "src/gateway/server.ts",
      "src/platform/state_dir_hygiene.ts",
      "src/gateway/serving.ts",
      "src/gateway/extensions.ts",
      "src/transport/ws_upgrade_kit.ts",
    ]);
    const bad = [...modules].filter((m) => /^node:|^npm:ws$/.test(m));
    assert.deepEqual(bad, [], `serving loads: ${bad.join(", ")}`);
    assert.ok(modules.has("src/transport/ws_conn_socket.ts"), "the graph walk found nothing");
    assert.ok(modules.has("src/gateway/connection.ts"), "the graph walk found nothing");
  },
});
