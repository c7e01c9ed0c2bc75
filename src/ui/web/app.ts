/**
 * The Control UI application: login, the live connection, and the views. Every action is a
 * gateway RPC the CLI also makes (`status`, `config.get`, `node.list`, `node.pair.*`,
 * `device.pair.*`, `node.invoke`), checked against the same scopes on the gateway.
 * @module
 */
/// <reference lib="dom" />
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { loadCredentials, saveCredentials } from "./credentials.ts";
import { loadDeviceIdentity } from "./device_key.ts";
import { type ConnState, type Credentials, GatewaySocket } from "./gateway_socket.ts";
import { html } from "./html.ts";
import { InvokeView } from "./views_invoke.ts";
import { ConnBanner, LoginView } from "./views_login.ts";
import {
  type Decide,
  type KnownNode,
  NodesView,
  type PendingRequest,
  PendingView,
} from "./views_nodes.ts";
import { ConfigView, HealthView, type PresenceEntry, PresenceView } from "./views_overview.ts";

type Tab = "overview" | "nodes" | "invoke" | "config";
const TABS: Array<[Tab, string]> = [
  ["overview", "Overview"],
  ["nodes", "Nodes"],
  ["invoke", "Run"],
  ["config", "Config"],
];

interface Data {
  status: Record<string, unknown> | null;
  statusAt: number;
  presence: PresenceEntry[];
  nodes: KnownNode[];
  nodePending: PendingRequest[];
  devicePending: PendingRequest[];
  config: Record<string, unknown> | null;
}
const EMPTY: Data = {
  status: null,
  statusAt: 0,
  presence: [],
  nodes: [],
  nodePending: [],
  devicePending: [],
  config: null,
};

/** The whole page. */
export function App() {
  const [creds, setCreds] = useState<Credentials | null>(loadCredentials);
  const [loginNote, setLoginNote] = useState("");
  const [conn, setConn] = useState<ConnState>({ phase: "connecting" });
  const [data, setData] = useState<Data>(EMPTY);
  const [tab, setTab] = useState<Tab>("overview");
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState("");
  const [now, setNow] = useState(Date.now());
  const sock = useRef<GatewaySocket | null>(null);

  const patch = (p: Partial<Data>) => setData((d) => ({ ...d, ...p }));
  const safe = async <T>(method: string, params?: unknown): Promise<T | null> => {
    try {
      return await sock.current!.request<T>(method, params);
    } catch {
      return null; // shown as missing data; the banner says why when the socket is down
    }
  };
  const refreshStatus = useCallback(async () => {
    const status = await safe<Record<string, unknown>>("status");
    if (status) patch({ status, statusAt: Date.now() });
  }, []);
  const refreshNodes = useCallback(async () => {
    const [list, np, dp] = await Promise.all([
      safe<{ nodes: KnownNode[] }>("node.list"),
      safe<{ pending: PendingRequest[] }>("node.pair.list"),
      safe<{ pending: PendingRequest[] }>("device.pair.list"),
    ]);
    patch({
      ...(list ? { nodes: list.nodes } : {}),
      ...(np ? { nodePending: np.pending } : {}),
      ...(dp ? { devicePending: dp.pending } : {}),
    });
  }, []);

  useEffect(() => {
    if (!creds) return;
    let stopped = false;
    loadDeviceIdentity().then((identity) => {
      if (stopped) return;
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      sock.current = new GatewaySocket({
        url: `${scheme}//${location.host}/`,
        identity,
        credentials: creds,
        onState: (s) => {
          setConn(s);
          if (s.phase === "open") {
            patch({ presence: s.hello.snapshot.presence as PresenceEntry[] });
            void refreshStatus();
            void refreshNodes();
            void safe<Record<string, unknown>>("config.get").then((config) => patch({ config }));
          }
          if (s.phase === "refused" && s.next === "login") {
            saveCredentials(null);
            setLoginNote(s.note);
            setCreds(null);
          }
        },
        onEvent: (event, payload) => {
          if (event === "presence") {
            patch({ presence: (payload as { presence: PresenceEntry[] }).presence ?? [] });
            void refreshNodes();
          } else if (event.startsWith("node.pair.") || event.startsWith("device.pair.")) {
            void refreshNodes();
          } else if (event === "tick") void refreshStatus();
        },
      });
    }).catch((err) => setConn({ phase: "refused", note: (err as Error).message, next: "stop" }));
    return () => {
      stopped = true;
      sock.current?.stop();
      sock.current = null;
    };
  }, [creds]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  if (!creds) {
    return html`<${LoginView} note=${loginNote} onLogin=${(c: Credentials) => {
      saveCredentials(c);
      setLoginNote("");
      setData(EMPTY);
      setConn({ phase: "connecting" });
      setCreds(c);
    }} />`;
  }

  const decide: Decide = async (family, decision, requestId) => {
    setBusy(requestId);
    setActionError("");
    try {
      await sock.current!.request(`${family}.${decision}`, { requestId });
    } catch (err) {
      setActionError(`${family}.${decision} failed: ${(err as Error).message}`);
    } finally {
      setBusy(null);
      void refreshNodes();
    }
  };
  const logout = () => {
    saveCredentials(null);
    setCreds(null);
  };
  const pendingCount = data.nodePending.length + data.devicePending.length;
  return html`
    <div class="app">
      <${ConnBanner} conn=${conn} onRetry=${() => sock.current?.retry()} onLogout=${logout} />
      <nav class="tabs">
        ${TABS.map(([id, label]) =>
          html`
            <button id=${`tab-${id}`} class=${tab === id ? "tab active" : "tab"} onClick=${() =>
              setTab(id)}>
              ${label}${id === "nodes" && pendingCount
                ? html`
                  <span class="badge">${pendingCount}</span>
                `
                : ""}
            </button>
          `
        )}
      </nav>
      <main>
        ${tab === "overview"
          ? html`
            <${HealthView} status=${data.status} now=${now} since=${data.statusAt} />
            <${PresenceView} presence=${data.presence} now=${now} />
          `
          : ""}
        ${tab === "nodes"
          ? html`
            <${PendingView} nodePending=${data.nodePending} devicePending=${data.devicePending}
              busy=${busy} error=${actionError} onDecide=${decide} />
            <${NodesView} nodes=${data.nodes} now=${now} />
          `
          : ""}
        ${tab === "invoke"
          ? html`
            <${InvokeView} nodes=${data.nodes}
              invoke=${(p: Record<string, unknown>) => sock.current!.request("node.invoke", p)} />
          `
          : ""}
        ${tab === "config" ? html`<${ConfigView} config=${data.config} />` : ""}
      </main>
    </div>
  `;
}
