/**
 * Serves the embedded Control UI over HTTP: `GET /` (for a browser, i.e. `Accept: text/html`),
 * `GET /ui/app.js` and `GET /ui/app.css`, each with a strict Content-Security-Policy and
 * anti-framing, no-referrer and no-sniff headers. Nothing else is exposed over HTTP: the page
 * does everything through the gateway WebSocket as an operator client, with the same scopes
 * the CLI needs.
 *
 * `gateway.controlUi.enabled: false` turns it off (OpenClaw's key); then `/` answers JSON as
 * before and `/ui/…` is not found.
 * @module
 */
import type { Config } from "../config/schema.ts";
import { APP_CSS, APP_JS, INDEX_HTML } from "./assets.generated.ts";

/**
 * The Content-Security-Policy of every UI response: scripts and styles only from this origin
 * (no inline script, no eval), sockets only to this origin, no framing, no forms, no plugins.
 * `connect-src 'self'` covers `ws:`/`wss:` to the same host and port (CSP Level 3).
 */
export const CONTROL_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers on every Control UI response. */
export const CONTROL_UI_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTROL_UI_CSP,
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

const ASSETS: Record<string, { body: string; type: string }> = {
  "/ui/app.js": { body: APP_JS, type: "text/javascript; charset=utf-8" },
  "/ui/app.css": { body: APP_CSS, type: "text/css; charset=utf-8" },
};

/**
 * Whether the UI is on: `gateway.controlUi.enabled`, default `true` (as OpenClaw).
 *
 * @param config The loaded configuration.
 */
export function controlUiEnabled(config: Config): boolean {
  return config.gateway?.controlUi?.enabled !== false;
}

const gzipped = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** The gzip form of an embedded file, compressed once on first use. */
function gzipOf(path: string, body: string): Promise<Uint8Array<ArrayBuffer>> {
  let z = gzipped.get(path);
  if (!z) {
    const stream = new Blob([body]).stream().pipeThrough(new CompressionStream("gzip"));
    z = new Response(stream).bytes();
    gzipped.set(path, z);
  }
  return z;
}

async function respond(
  req: Request,
  file: { path: string; body: string } | null,
  status: number,
  type: string,
  cache: string,
): Promise<Response> {
  const headers: Record<string, string> = {
    ...CONTROL_UI_HEADERS,
    "content-type": type,
    "cache-control": cache,
    "vary": "accept-encoding",
  };
  const head = req.method === "HEAD";
  if (!file) return new Response(head ? null : "not found\n", { status, headers });
  if (/\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) {
    const body = await gzipOf(file.path, file.body);
    return new Response(head ? null : body, {
      status,
      headers: { ...headers, "content-encoding": "gzip" },
    });
  }
  return new Response(head ? null : file.body, { status, headers });
}

/**
 * Answers a Control UI request, or returns `undefined` when the request is not for the UI
 * (then the gateway answers as it did without one).
 *
 * Bodies are sent gzip-compressed when the client accepts it (compressed once, kept in memory).
 *
 * @param req A non-upgrade HTTP request.
 * @returns The page or an asset; 404 for an unknown `/ui/…` path.
 */
export function controlUiResponse(req: Request): Promise<Response> | undefined {
  if (req.method !== "GET" && req.method !== "HEAD") return undefined;
  const path = new URL(req.url).pathname;
  if (path === "/" || path === "/index.html") {
    const accept = req.headers.get("accept") ?? "";
    if (!accept.includes("text/html")) return undefined; // curl and scripts keep the JSON
    const file = { path: "/", body: INDEX_HTML };
    return respond(req, file, 200, "text/html; charset=utf-8", "no-store");
  }
  if (!path.startsWith("/ui/")) return undefined;
  const asset = ASSETS[path];
  if (!asset) return respond(req, null, 404, "text/plain; charset=utf-8", "no-store");
  // `no-cache`: revalidated each load, so a new binary's UI is picked up at once.
  return respond(req, { path, body: asset.body }, 200, asset.type, "no-cache");
}
