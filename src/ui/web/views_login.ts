/**
 * The login form (token or password, asked once per tab) and the connection banner.
 * @module
 */
/// <reference lib="dom" />
import { useState } from "preact/hooks";
import type { ConnState, Credentials } from "./gateway_socket.ts";
import { html } from "./html.ts";

/** Asks for the gateway token or password. The form never submits: no URL ever carries it. */
export function LoginView(props: { note: string; onLogin: (c: Credentials) => void }) {
  const [kind, setKind] = useState<"token" | "password">("token");
  const [secret, setSecret] = useState("");
  const submit = (e: Event) => {
    e.preventDefault();
    if (secret.trim()) props.onLogin({ kind, secret: secret.trim() });
  };
  return html`
    <main class="login">
      <h1>clawgate Control UI</h1>
      <p>Log in with this gateway's ${kind}. It is kept in this tab only.</p>
      ${props.note ? html`<p class="error" id="login-error" role="alert">${props.note}</p>` : ""}
      <form id="login-form" onSubmit=${submit} autocomplete="off">
        <label>
          <select id="login-kind" value=${kind} onChange=${(e: Event) =>
            setKind((e.target as HTMLSelectElement).value as "token" | "password")}>
            <option value="token">Token</option>
            <option value="password">Password</option>
          </select>
        </label>
        <input id="login-secret" type="password" autofocus placeholder=${`gateway ${kind}`}
          value=${secret} onInput=${(e: Event) =>
            setSecret((e.target as HTMLInputElement).value)} />
        <button id="login-submit" type="submit">Log in</button>
      </form>
    </main>
  `;
}

/** One line saying how the connection is. */
export function ConnBanner(props: { conn: ConnState; onRetry: () => void; onLogout: () => void }) {
  const c = props.conn;
  const text = c.phase === "open"
    ? `Connected to clawgate ${c.hello.server.version}`
    : c.phase === "connecting"
    ? "Connecting…"
    : c.phase === "retrying"
    ? `${c.note} Reconnecting in ${Math.ceil(c.inMs / 1000)} s…`
    : c.note;
  return html`
    <header class="bar">
      <span id="conn-state" class=${`conn conn-${c.phase}`} data-phase=${c.phase}>${text}</span>
      <span class="spacer"></span>
      ${c.phase !== "open"
        ? html`<button id="retry" onClick=${props.onRetry}>Retry now</button>`
        : ""}
      <button id="logout" onClick=${props.onLogout}>Log out</button>
    </header>
  `;
}
