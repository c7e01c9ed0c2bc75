/**
 * What `gateway run` loads before its bind (issue 7 item 3): the server module's static graph
 * holds the state and the listener, none of `ws`, hono, Node's compatibility layer, the HTTP
 * app, the session and method code or the extensions; and it holds no plain `import()` of
 * them either (Deno would walk their graphs before the bind: src/platform/deferred_import.ts).
 * @module
 */
import assert from "node:assert/strict";
import { staticClosure } from "./helpers/import_graph.ts";

Deno.test({
  name: "gateway start-up: nothing but the state and the listener loads before the bind",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { modules, dynamic } = await staticClosure(["src/gateway/server.ts"]);
    const forbidden = [
      /^npm:(ws|hono|json5|commander)$/,
      /^node:/, // each node: module costs milliseconds (Node's compatibility layer)
      /^src\/gateway\/(app|connection|handshake|extensions|serving|session)\.ts$/,
      /^src\/gateway\/(methods|nodes|devices)\//,
      /^src\/protocol\/(mod|events|nodes|status|utf8_length)\.ts$/,
      /^src\/transport\/(conn_duplex|ws_server_socket|ws_upgrade_kit|websocket_like)\.ts$/,
      /^src\/ui\//,
    ];
    const bad = [...modules].filter((m) => forbidden.some((re) => re.test(m)));
    assert.deepEqual(bad, [], `loaded before the bind: ${bad.join(", ")}`);
    assert.ok(modules.has("src/transport/http_listener.ts"), "the graph walk found nothing");
    assert.deepEqual([...dynamic], [], "plain import() in the pre-bind graph");
  },
});
