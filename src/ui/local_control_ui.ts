/**
 * When a browser counts as a local client: the gateway's own Control UI, loaded from the
 * gateway's own origin by a browser on the gateway host (or at the end of a `clawgate tunnel`).
 * Browser pages are otherwise never local (`src/gateway/session.ts` `PeerInfo.isLocal`), but
 * OpenClaw excludes browser origins from silent local pairing "except Control UI and webchat"
 * (protocol.md §3.4), and a page on the gateway's own origin can only be the page the gateway
 * itself serves. Remote browsers still need a deliberate `clawgate devices approve`.
 * @module
 */
import type { ConnectParams } from "../protocol/mod.ts";
import { isLoopbackHost } from "../gateway/bind.ts";
import { checkBrowserOrigin } from "../gateway/origin_check.ts";
import type { PeerInfo } from "../gateway/session.ts";
import type { GatewayState } from "../gateway/state.ts";
import { controlUiEnabled } from "./control_ui.ts";

/** OpenClaw's Control UI client identity (`client.id`, `client.mode`). */
export const CONTROL_UI_CLIENT_ID = "openclaw-control-ui";

/**
 * Whether this connect is the gateway's own Control UI from a loopback browser: client
 * `openclaw-control-ui`/`webchat`, loopback peer, and an `Origin` equal to the gateway's own
 * (not merely allow-listed), with the UI enabled.
 *
 * @example
 * ```ts ignore
 * const local = peer.isLocal || isLocalControlUi(state, params, peer);
 * ```
 */
export function isLocalControlUi(
  state: GatewayState,
  params: ConnectParams,
  peer: PeerInfo,
): boolean {
  if (params.client.id !== CONTROL_UI_CLIENT_ID || params.client.mode !== "webchat") return false;
  if (!peer.browserOrigin || !isLoopbackHost(peer.remoteIp)) return false;
  if (!controlUiEnabled(state.loaded.config)) return false;
  const check = checkBrowserOrigin(peer.browserOrigin, [], true);
  return check.ok && check.matchedBy === "same-origin";
}
