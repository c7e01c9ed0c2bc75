/**
 * `system.run` on the node: spawn argv (no shell) with cwd/env in its own process group that
 * dies with the node (parent-death signal, src/platform/spawner.ts), a timeout that kills the
 * whole process group, stdout/stderr each capped (default 1 MiB, then a truncation marker; the pipe
 * is still drained so the child never blocks), and {@linkcode Executor.killAll} for shutdown.
 * Result shape: `{exitCode,timedOut,success,stdout,stderr,error}` (protocol.md §5.4).
 * @module
 */
import type { SystemRunResult } from "../protocol/nodes.ts";
import { groupParentDeathArgv } from "../platform/spawner.ts";

/** Default per-stream output cap, in bytes. */
export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;
/** Default `system.run` timeout when the request names none, in milliseconds. */
export const DEFAULT_RUN_TIMEOUT_MS = 120_000;

/** One command to run, already planned (src/node/run_plan.ts). */
export interface RunRequest {
  /** Program (`command[0]`, spawned as given: pass an absolute path) and its arguments. */
  command: string[];
  cwd?: string;
  /** The child's complete environment; omitted → the node's own environment. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Options for {@linkcode Executor}. */
export interface ExecutorOptions {
  /** Per-stream cap in bytes. @default {DEFAULT_OUTPUT_CAP_BYTES} */
  outputCapBytes?: number;
  /** Timeout used when a request has none. @default {DEFAULT_RUN_TIMEOUT_MS} */
  defaultTimeoutMs?: number;
}

/** The marker appended to a capped stream. */
export function truncationMarker(droppedBytes: number): string {
  return `\n[output truncated: ${droppedBytes} more bytes]`;
}

/** Runs commands and remembers the live ones so they can be killed on shutdown. */
export class Executor {
  readonly #cap: number;
  readonly #defaultTimeoutMs: number;
  readonly #running = new Set<Deno.ChildProcess>();

  constructor(options: ExecutorOptions = {}) {
    this.#cap = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
  }

  /** How many commands are running now. */
  get runningCount(): number {
    return this.#running.size;
  }

  /**
   * Runs one command to completion (or timeout). Never throws: spawn failures come back as
   * `{success:false, exitCode:null, error}`.
   */
  async run(req: RunRequest): Promise<SystemRunResult> {
    const timeoutMs = req.timeoutMs && req.timeoutMs > 0 ? req.timeoutMs : this.#defaultTimeoutMs;
    let child: Deno.ChildProcess;
    const detached = Deno.build.os !== "windows";
    // The child leads its own process group (killed whole on timeout) and dies with the node.
    const [program, args] = detached
      ? groupParentDeathArgv(req.command[0], req.command.slice(1))
      : [req.command[0], req.command.slice(1)];
    try {
      child = new Deno.Command(program, {
        args,
        cwd: req.cwd,
        env: req.env,
        clearEnv: req.env !== undefined,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        detached,
      }).spawn();
    } catch (err) {
      const e = err as Error;
      const message = e instanceof Deno.errors.NotFound
        ? `cannot run ${req.command[0]}: no such file, or its working directory ${
          req.cwd ?? "."
        } does not exist`
        : e instanceof Deno.errors.PermissionDenied
        ? `cannot run ${req.command[0]}: permission denied`
        : `cannot run ${req.command[0]}: ${e.message}`;
      return {
        exitCode: null,
        timedOut: false,
        success: false,
        stdout: "",
        stderr: "",
        error: message,
      };
    }
    this.#running.add(child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, timeoutMs);
    try {
      const [stdout, stderr, status] = await Promise.all([
        readCapped(child.stdout, this.#cap),
        readCapped(child.stderr, this.#cap),
        child.status,
      ]);
      const exitCode = status.signal ? null : status.code;
      return {
        exitCode,
        timedOut,
        success: !timedOut && status.success,
        stdout,
        stderr,
        error: timedOut
          ? `command timed out after ${timeoutMs}ms`
          : status.signal
          ? `terminated by ${status.signal}`
          : null,
      };
    } finally {
      clearTimeout(timer);
      this.#running.delete(child);
    }
  }

  /** Kills every running command (process groups, SIGKILL). */
  killAll(): void {
    for (const child of this.#running) killTree(child);
  }
}

function killTree(child: Deno.ChildProcess): void {
  try {
    if (Deno.build.os !== "windows") Deno.kill(-child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  } catch {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }
}

/**
 * Reads a stream to the end, keeping at most `cap` bytes (decoded as UTF-8) and appending a
 * {@linkcode truncationMarker} when more arrived. Stops waiting once the direct child is dead
 * and the stream is quiet is not needed: grandchildren die with the process group.
 */
export async function readCapped(stream: ReadableStream<Uint8Array>, cap: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let dropped = 0;
  for await (const chunk of stream) {
    const room = cap - kept;
    if (room >= chunk.length) {
      chunks.push(chunk);
      kept += chunk.length;
    } else {
      if (room > 0) {
        chunks.push(chunk.subarray(0, room));
        kept += room;
      }
      dropped += chunk.length - Math.max(room, 0);
    }
  }
  const buf = new Uint8Array(kept);
  let off = 0;
  for (const c of chunks) {
    buf.set(c, off);
    off += c.length;
  }
  const text = new TextDecoder().decode(buf);
  return dropped > 0 ? text + truncationMarker(dropped) : text;
}
