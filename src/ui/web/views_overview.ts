/**
 * Overview: gateway health and uptime (from `status`), live presence (from `presence`
 * events), and the redacted configuration (`config.get`).
 * @module
 */
import { formatAgo, formatDuration, html } from "./html.ts";

/** A `presence` entry as the gateway sends it (protocol.md §5.2). */
export interface PresenceEntry {
  host?: string;
  mode?: string;
  platform?: string;
  version?: string;
  reason?: string;
  instanceId?: string;
  deviceId?: string;
  roles?: string[];
  ts?: number;
  text?: string;
}

/** Health, uptime and connection counts. */
export function HealthView(
  props: { status: Record<string, unknown> | null; now: number; since: number },
) {
  const s = props.status;
  if (!s) {
    return html`
      <section>
        <h2>Health</h2>
        <p>Loading…</p>
      </section>
    `;
  }
  const uptime = Number(s.uptimeMs ?? 0) + (props.now - props.since);
  const conns = (s.connections ?? {}) as { operators?: number; nodes?: number };
  const gw = (s.gateway ?? {}) as {
    bind?: string;
    host?: string;
    port?: number;
    authMode?: string;
  };
  return html`
    <section id="health">
      <h2>Health</h2>
      <dl class="facts">
        <dt>State</dt>
        <dd id="health-ok">ok</dd>
        <dt>Version</dt>
        <dd>${String(s.runtimeVersion ?? "")}</dd>
        <dt>Uptime</dt>
        <dd id="uptime">${formatDuration(uptime)}</dd>
        <dt>Listening</dt>
        <dd>${gw.host}:${gw.port} (${gw.bind}, auth ${gw.authMode})</dd>
        <dt>Connections</dt>
        <dd>${conns.operators ?? 0} operators, ${conns.nodes ?? 0} nodes</dd>
      </dl>
    </section>
  `;
}

/** Who is connected, live. */
export function PresenceView(props: { presence: PresenceEntry[]; now: number }) {
  return html`
    <section id="presence">
      <h2>Presence</h2>
      <table>
        <thead>
          <tr>
            <th>Host</th>
            <th>Mode</th>
            <th>Roles</th>
            <th>Platform</th>
            <th>Since</th>
          </tr>
        </thead>
        <tbody>
          ${props.presence.map((p) =>
            html`
              <tr key=${p.instanceId ?? p.deviceId ?? p.host}>
                <td>${p.host ?? p.instanceId ?? "?"}</td>
                <td>${p.mode ?? ""}</td>
                <td>${(p.roles ?? []).join(", ")}</td>
                <td>${p.platform ?? ""}</td>
                <td>${formatAgo(p.ts, props.now)}</td>
              </tr>
            `
          )}
        </tbody>
      </table>
    </section>
  `;
}

/** The gateway's configuration, secrets already replaced by `***` on the gateway. */
export function ConfigView(props: { config: Record<string, unknown> | null }) {
  const c = props.config;
  return html`
    <section id="config">
      <h2>Configuration</h2>
      ${c
        ? html`
          <p>${c.exists ? String(c.path) : "No config file: defaults and flags only."}</p>
          <pre id="config-json">${JSON.stringify(c.config ?? {}, null, 2)}</pre>
        `
        : html`<p>Loading…</p>`}
    </section>
  `;
}
