/**
 * Nodes (`node.list`) with their approval state, the pending node command surfaces
 * (`node.pair.list` → approve/reject) and device pairings (`device.pair.list` →
 * approve/reject). The page refreshes these on `presence`, `node.pair.*` and `device.pair.*`
 * events, so requests appear as they arrive.
 * @module
 */
import { formatAgo, html } from "./html.ts";

/** A `node.list` entry (the fields the page shows). */
export interface KnownNode {
  nodeId: string;
  displayName?: string;
  platform?: string;
  version?: string;
  remoteIp?: string;
  commands?: string[];
  declaredCommands?: string[];
  approvalState?: string;
  pendingRequestId?: string;
  connected?: boolean;
  lastSeenAtMs?: number;
}

/** A pending pairing request (node surface or device). */
export interface PendingRequest {
  requestId: string;
  nodeId?: string;
  deviceId?: string;
  displayName?: string;
  platform?: string;
  clientId?: string;
  role?: string;
  scopes?: string[];
  commands?: string[];
  remoteIp?: string;
  ts?: number;
}

/** Approve or reject, named by the RPC family. */
export type Decide = (
  family: "node.pair" | "device.pair",
  decision: "approve" | "reject",
  requestId: string,
) => void;

const short = (id: string) => id.length > 16 ? `${id.slice(0, 12)}…` : id;

/** Nodes table. */
export function NodesView(props: { nodes: KnownNode[]; now: number }) {
  if (!props.nodes.length) {
    return html`
      <section id="nodes">
        <h2>Nodes</h2>
        <p id="nodes-empty">No nodes yet. Start one with <code>clawgate node connect</code>.</p>
      </section>
    `;
  }
  return html`
    <section id="nodes">
      <h2>Nodes</h2>
      <table>
        <thead>
          <tr>
            <th>Node</th>
            <th>State</th>
            <th>Approval</th>
            <th>Platform</th>
            <th>Last seen</th>
            <th>Commands</th>
          </tr>
        </thead>
        <tbody>
          ${props.nodes.map((n) =>
            html`
              <tr key=${n.nodeId} class="node-row" data-node=${n.nodeId}>
                <td title=${n.nodeId}>${n.displayName ?? short(n.nodeId)}</td>
                <td class=${n.connected ? "ok" : "muted"}>${n.connected
                  ? "connected"
                  : "offline"}</td>
                <td class="approval">${n.approvalState ?? ""}</td>
                <td>${n.platform ?? ""}${n.version ? ` · ${n.version}` : ""}</td>
                <td>${n.connected ? "now" : formatAgo(n.lastSeenAtMs, props.now)}</td>
                <td class="commands">${(n.commands ?? []).join(", ") || "—"}</td>
              </tr>
            `
          )}
        </tbody>
      </table>
    </section>
  `;
}

/** Pending node surfaces and device pairings with approve/reject buttons. */
export function PendingView(props: {
  nodePending: PendingRequest[];
  devicePending: PendingRequest[];
  busy: string | null;
  error: string;
  onDecide: Decide;
}) {
  const row = (family: "node.pair" | "device.pair", r: PendingRequest) => {
    const name = r.displayName ?? short(r.nodeId ?? r.deviceId ?? r.requestId);
    const what = family === "node.pair"
      ? ` wants commands ${(r.commands ?? []).join(", ") || "(none)"}`
      : ` (${r.clientId ?? "device"}) wants role ${r.role}` +
        (r.scopes?.length ? ` with ${r.scopes.join(", ")}` : "");
    const from = r.remoteIp ? ` from ${r.remoteIp}` : "";
    return html`
      <li key=${r.requestId} class="pending" data-request=${r.requestId} data-family=${family}>
        <div><strong>${name}</strong>${what + from}</div>
        <div class="actions">
          <button class="approve" disabled=${props.busy === r.requestId}
            onClick=${() => props.onDecide(family, "approve", r.requestId)}>Approve</button>
          <button class="reject" disabled=${props.busy === r.requestId}
            onClick=${() => props.onDecide(family, "reject", r.requestId)}>Reject</button>
        </div>
      </li>
    `;
  };
  const none = !props.nodePending.length && !props.devicePending.length;
  return html`
    <section id="pending">
      <h2>Pending approvals</h2>
      ${props.error ? html`<p class="error" role="alert">${props.error}</p>` : ""}
      ${none ? html`<p id="pending-empty">Nothing waiting.</p>` : ""}
      <ul class="pending-list">
        ${props.nodePending.map((r) => row("node.pair", r))}
        ${props.devicePending.map((r) => row("device.pair", r))}
      </ul>
    </section>
  `;
}
