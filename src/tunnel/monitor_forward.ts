/**
 * The supervisor's watch over a forward that is accepting. Every `linkIntervalMs` an HTTP
 * request goes through the forward (src/transport/link_check.ts `checkHttp`; silent on the
 * server); every `probeIntervalMs` the gateway's challenge is probed. A dead gateway makes
 * sshd refuse the channel at once (`channel N: open failed: connect failed`), which proves the
 * link alive. A request that gets no answer at all is settled by one link check over the
 * sentinel forward (`checkLink`): silent means a dead link and ends ssh (`dead-link`), an
 * answer means the gateway hangs (`gateway-down`). One link check right after the forward came
 * up proves the sentinel works on this server. A wake from sleep (src/tunnel/wake_watch.ts)
 * re-checks at once.
 * @module
 */
import { classifyRefusal, hintFor, type SshClassification } from "./classify.ts";
import type { HttpAnswer } from "../transport/link_check.ts";
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
  /** Milliseconds between routine checks (HTTP through the forward). */
  linkIntervalMs: number;
  /** The routine check; resolves within its own deadline. */
  quickCheck: (signal: AbortSignal) => Promise<HttpAnswer>;
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
  let gatewayDown = false;
  while (!i.signal.aborted) {
    if (i.link.usable && !i.link.proven) {
      // Once per ssh: does this server answer the sentinel at all?
      if (await i.link.check(i.signal) === "dead") return deadLink();
    } else if (!probeNow) {
      const quick = await i.quickCheck(i.signal);
      if (i.signal.aborted) break;
      if (quick === "silent") {
        const link = await i.link.check(i.signal);
        if (link === "dead") return deadLink();
        if (link === "alive" && !gatewayDown) {
          gatewayDown = true;
          i.report.gatewayDown(
            "the gateway accepted the connection but did not answer (the ssh link is fine)",
          );
        }
      } else if (quick === "closed" || (quick === "answered" && gatewayDown)) probeNow = true;
    }
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
      if (probeError === undefined) {
        gatewayDown = false;
        i.report.up();
      } else {
        // A refused channel proves ssh and the link alive: the gateway port refused. No
        // refusal: the link swallowed the probe, or the gateway hangs; ask the link.
        const refusal = await i.stderr.refusalAfter(seen, 500);
        if (i.signal.aborted) break;
        const refused = refusal ? classifyRefusal(refusal) : undefined;
        if (refused?.fatal) return { classification: refused, message: `ssh: ${refusal}` };
        if (!refusal && await i.link.check(i.signal) === "dead") return deadLink();
        if (i.signal.aborted) break;
        gatewayDown = true;
        i.report.gatewayDown(refusal ?? probeError);
      }
    }
    const untilProbe = Math.max(0, lastProbeAt + i.probeIntervalMs - i.now());
    // While the gateway is down, routine checks would only add refusals to sshd's log.
    const jumpMs = await sleepUnlessWake(
      gatewayDown ? untilProbe : Math.min(i.linkIntervalMs, untilProbe),
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
