/**
 * The invoke console: `node.invoke` of `system.run` (argv, never a shell) or `system.which` on
 * a chosen connected node, showing stdout, stderr and the exit code, as
 * `clawgate nodes invoke NODE -- ARGV…` prints them.
 * @module
 */
/// <reference lib="dom" />
import { useState } from "preact/hooks";
import { splitArgv } from "./argv.ts";
import { html } from "./html.ts";
import type { KnownNode } from "./views_nodes.ts";

/** What one run returned. */
interface RunResult {
  command: string;
  stdout?: string;
  stderr?: string;
  exitCode?: number | null;
  timedOut?: boolean;
  other?: unknown;
  error?: string;
}

/** Sends `node.invoke`; supplied by the app (it owns the socket). */
export type Invoke = (params: Record<string, unknown>) => Promise<unknown>;

/** The console. */
export function InvokeView(props: { nodes: KnownNode[]; invoke: Invoke }) {
  const usable = props.nodes.filter((n) => n.connected);
  const [nodeId, setNodeId] = useState("");
  const [command, setCommand] = useState<"system.run" | "system.which">("system.run");
  const [line, setLine] = useState("");
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RunResult | null>(null);
  const chosen = usable.find((n) => n.nodeId === nodeId) ?? usable[0];

  const run = async (e: Event) => {
    e.preventDefault();
    if (!chosen) return;
    let argv: string[];
    try {
      argv = splitArgv(line);
    } catch (err) {
      return setResult({ command, error: (err as Error).message });
    }
    if (!argv.length) return setResult({ command, error: "Type a command first." });
    setRunning(true);
    setResult(null);
    try {
      const res = await props.invoke({
        nodeId: chosen.nodeId,
        command,
        params: command === "system.run" ? { command: argv } : { bins: argv },
        timeoutMs: 30_000,
        idempotencyKey: crypto.randomUUID(),
      }) as { payload?: Record<string, unknown> };
      const p = res?.payload ?? {};
      setResult(
        command === "system.run"
          ? {
            command,
            stdout: String(p.stdout ?? ""),
            stderr: String(p.stderr ?? ""),
            exitCode: p.exitCode as number | null,
            timedOut: !!p.timedOut,
            error: typeof p.error === "string" && p.error ? p.error : undefined,
          }
          : { command, other: p },
      );
    } catch (err) {
      setResult({ command, error: (err as Error).message });
    } finally {
      setRunning(false);
    }
  };

  return html`
    <section id="invoke">
      <h2>Run on a node</h2>
      ${!usable.length ? html`<p>No connected node.</p>` : html`
        <form id="invoke-form" onSubmit=${run} autocomplete="off">
          <select id="invoke-node" value=${chosen?.nodeId} onChange=${(e: Event) =>
            setNodeId((e.target as HTMLSelectElement).value)}>
            ${usable.map((n) =>
              html`<option value=${n.nodeId}>${n.displayName ?? n.nodeId}</option>`
            )}
          </select>
          <select id="invoke-command" value=${command} onChange=${(e: Event) =>
            setCommand((e.target as HTMLSelectElement).value as "system.run" | "system.which")}>
            <option value="system.run">system.run</option>
            <option value="system.which">system.which</option>
          </select>
          <input id="invoke-line" value=${line} placeholder=${command === "system.run"
            ? "echo hi"
            : "git deno"}
            onInput=${(e: Event) => setLine((e.target as HTMLInputElement).value)} />
          <button id="invoke-run" type="submit" disabled=${running}>${running
            ? "Running…"
            : "Run"}</button>
        </form>
      `}
      ${result
        ? html`
          <div id="invoke-result" class="result">
            ${result.error ? html`<p class="error" id="invoke-error">${result.error}</p>` : ""}
            ${result.stdout !== undefined
              ? html`
                <p>exit code <strong id="invoke-exit">${result.exitCode ??
                  "none"}</strong>${result.timedOut ? " (timed out)" : ""}</p>
                <h3>stdout</h3>
                <pre id="invoke-stdout">${result.stdout}</pre>
                <h3>stderr</h3>
                <pre id="invoke-stderr">${result.stderr}</pre>
              `
              : ""}
            ${result.other !== undefined
              ? html`<pre id="invoke-payload">${JSON.stringify(result.other, null, 2)}</pre>`
              : ""}
          </div>
        `
        : ""}
    </section>
  `;
}
