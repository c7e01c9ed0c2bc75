/**
 * Browser-origin policy for WebSocket upgrades (cross-site WebSocket hijacking defence): a
 * connection that carries an `Origin` header comes from a browser page, and a page may only
 * talk to the gateway when its origin is listed in `gateway.controlUi.allowedOrigins` or is the
 * gateway's own origin. Clients without `Origin` (CLI, nodes, OpenClaw's own clients) are not
 * affected.
 *
 * Source: `src/gateway/origin-check.ts` `checkBrowserOrigin`, `server/ws-origin-policy.ts`
 * and `rejectGatewayConnectOrigin` in `server/ws-connection/connect-admission.ts`
 * (openclaw@2026.9.6): allowlist entries compare lowercase and `"*"` allows any origin; the
 * same-origin rule needs the Host header's host to be a trusted name (loopback for local
 * clients, a private or loopback IP literal, `*.local`, `*.ts.net`) so DNS rebinding
 * (`evil.example` resolving to 127.0.0.1) does not pass. clawgate differs on one point:
 * upstream's "any loopback origin from a local client" rule is left out (a page served by some
 * other local dev server is still a foreign page; clawgate's own Control UI is same-origin).
 * @module
 */
import { isLoopbackHost } from "./bind.ts";

/** The error message upstream sends when an origin is refused. */
export const ORIGIN_NOT_ALLOWED_MESSAGE =
  "origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)";

/** The browser facts of an upgrade request. */
export interface BrowserOrigin {
  /** The `Origin` header as sent. */
  origin: string;
  /** The `Host` header (`host[:port]`), if any. */
  host?: string;
  /** Whether the upgrade came over TLS (`wss://`, so the page must be `https://`). */
  secure: boolean;
}

/** Outcome of {@linkcode checkBrowserOrigin}. */
export type OriginCheck =
  | { ok: true; matchedBy: "allowlist" | "same-origin" }
  | { ok: false; reason: "origin missing or invalid" | "origin not allowed" };

/**
 * Decides whether a browser origin may open a gateway WebSocket.
 *
 * @param browser The request's `Origin`, `Host` and transport.
 * @param allowedOrigins `gateway.controlUi.allowedOrigins` (exact origins such as
 *   `https://ui.example:8443`, compared lowercase; `"*"` allows any).
 * @param isLocalClient Whether the TCP peer is a loopback address (a loopback Host header is
 *   trusted only then).
 * @returns `ok` with the rule that matched, or the reason to send in `details.reason`.
 *
 * @example
 * ```ts
 * import { checkBrowserOrigin } from "./origin_check.ts";
 * const page = { origin: "https://evil.example", host: "127.0.0.1:18789", secure: false };
 * console.assert(!checkBrowserOrigin(page, [], true).ok);
 * const own = { origin: "http://127.0.0.1:18789", host: "127.0.0.1:18789", secure: false };
 * console.assert(checkBrowserOrigin(own, [], true).ok);
 * ```
 */
export function checkBrowserOrigin(
  browser: BrowserOrigin,
  allowedOrigins: readonly string[] | undefined,
  isLocalClient: boolean,
): OriginCheck {
  const parsed = parseOrigin(browser.origin);
  if (!parsed) return { ok: false, reason: "origin missing or invalid" };
  const allow = new Set((allowedOrigins ?? []).map((o) => o.trim().toLowerCase()));
  if (allow.has("*") || allow.has(parsed.origin)) return { ok: true, matchedBy: "allowlist" };
  const host = (browser.host ?? "").trim().toLowerCase();
  const scheme = browser.secure ? "https:" : "http:";
  if (
    host && parsed.protocol === scheme && sameHostPort(parsed, host, scheme) &&
    isTrustedSameOriginHost(hostName(host), isLocalClient)
  ) {
    return { ok: true, matchedBy: "same-origin" };
  }
  return { ok: false, reason: "origin not allowed" };
}

interface ParsedOrigin {
  origin: string;
  protocol: string;
  hostname: string;
  port: string;
}

function parseOrigin(raw: string): ParsedOrigin | undefined {
  const trimmed = raw.trim();
  if (!trimmed || trimmed === "null") return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+\/?$/i.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed);
    if (url.username || url.password || !url.host) return undefined;
    const origin = url.origin === "null" ? `${url.protocol}//${url.host}` : url.origin;
    return {
      origin: origin.toLowerCase(),
      protocol: url.protocol,
      hostname: url.hostname.toLowerCase(),
      port: url.port,
    };
  } catch {
    return undefined;
  }
}

/** Compares `Origin` and `Host` as URLs so default ports (`:80`, `:443`) match their absence. */
function sameHostPort(origin: ParsedOrigin, host: string, scheme: string): boolean {
  try {
    const h = new URL(`${scheme}//${host}`);
    return h.hostname.toLowerCase() === origin.hostname && h.port === origin.port;
  } catch {
    return false;
  }
}

function hostName(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colon = host.lastIndexOf(":");
  return colon > 0 && host.indexOf(":") === colon ? host.slice(0, colon) : host;
}

function isTrustedSameOriginHost(name: string, isLocalClient: boolean): boolean {
  if (isLoopbackHost(name)) return isLocalClient;
  if (isPrivateOrLoopbackIp(name)) return true;
  return name.endsWith(".local") || name.endsWith(".ts.net");
}

function isPrivateOrLoopbackIp(name: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(name);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
  }
  if (!name.includes(":")) return false;
  const h = name.toLowerCase();
  return h === "::1" || h.startsWith("fc") || h.startsWith("fd") || h.startsWith("fe80:");
}
