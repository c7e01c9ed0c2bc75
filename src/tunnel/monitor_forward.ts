/**
 * The supervisor's watch over a forward that is accepting: checks the link every
 * `linkIntervalMs` (src/transport/link_check.ts), probes the gateway every `probeIntervalMs`,
 * and tells a dead gateway from a dead link. A dead gateway makes sshd refuse the channel at
 * once (`channel N: open failed: connect failed`), which proves the link alive; a probe with no
 * refusal is followed by a link check, and a silent link ends ssh (`dead-link`). A wake from
 * sleep (src/tunnel/wake_watch.ts) re-checks everything at once.
 * @module
 */
import { classifyRefusal, hintFor, type SshClassification } from "./classify.ts";
import type { LinkState } from "./link_state.ts";
import type { SshStderr } from "./ssh_stderr.ts";
import { sleepUnlessWake, type WakeWatch } from "./wake_watch.ts";

/** Why the monitor ended ssh. */
export interface ForwardVerdict {
  classification: SshClassification;
  message: string;
}

/** Inputs of {@linkcode monitorForward}. */
export interface MonitorInput {
  /** `ws://127.0.0.1:<local port>`. */
  url: string;
  probe: (url: string, options: { timeoutMs: number; signal: AbortSignal }) => Promise<unknown>;
  /** Milliseconds between gateway probes. */
  probeIntervalMs: number;
  /** Deadline of one gateway probe, in milliseconds. */
  probeTimeoutMs: number;
  /** Milliseconds between link checks. */
  linkIntervalMs: number;
  link: LinkState;
  stderr: SshStderr;
  wake: WakeWatch;
  /** Aborts when the supervisor stops or ssh exits. */
  signal: AbortSignal;
  now: () => number;
  onWake?: (jumpMs: number) => void;
  report: {
    up(): void;
    gatewayDown(reason: string): void;
    linkDown(verdict: ForwardVerdict): void;
  };
}

/**
 * Watches until the signal aborts (→ undefined) or the forward must end (→ the verdict: a
 * dead link, or a fatal refusal such as forwarding prohibited by the server).
 */
export async function monitorForward(i: MonitorInput): Promise<ForwardVerdict | undefined> {
  let lastProbeAt = -Infinity;
  let probeNow = true;
  const deadLink = () => {
    const v: ForwardVerdict = {
      classification: { kind: "dead-link", fatal: false, hint: hintFor("dead-link") },
      message:
        `dead link: sshd did not answer over the ssh connection within ${i.link.timeoutMs}ms (sleep, network change or a stalled server)`,
    };
    i.report.linkDown(v);
    return v;
  };
  while (!i.signal.aborted) {
    if (await i.link.check(i.signal) === "dead") return deadLink();
    if (i.signal.aborted) break;
    if (probeNow || i.now() - lastProbeAt >= i.probeIntervalMs) {
      probeNow = false;
      lastProbeAt = i.now();
      const seen = i.stderr.refusals.length;
      let probeError: string | undefined;
      try {
        await i.probe(i.url, { timeoutMs: i.probeTimeoutMs, signal: i.signal });
      } catch (err) {
        probeError = (err as Error).message;
      }
      if (i.signal.aborted) break;
      if (probeError === undefined) i.report.up();
      else {
        // A refused channel proves ssh and the link alive: the gateway port refused. No
        // refusal: the link swallowed the probe, or the gateway hangs; ask the link.
        const refusal = await i.stderr.refusalAfter(seen, 500);
        if (i.signal.aborted) break;
        const refused = refusal ? classifyRefusal(refusal) : undefined;
        if (refused?.fatal) return { classification: refused, message: `ssh: ${refusal}` };
        if (!refusal && await i.link.check(i.signal) === "dead") return deadLink();
        if (i.signal.aborted) break;
        i.report.gatewayDown(refusal ?? probeError);
      }
    }
    const untilProbe = Math.max(0, lastProbeAt + i.probeIntervalMs - i.now());
    const jumpMs = await sleepUnlessWake(
      i.link.usable ? Math.min(i.linkIntervalMs, untilProbe) : untilProbe,
      i.signal,
      i.wake,
    );
    if (jumpMs) {
      i.onWake?.(jumpMs);
      probeNow = true;
    }
  }
  return undefined;
}
