/**
 * Loopback networking helpers for tests.
 *
 * @example
 * ```ts
 * import { freePort } from "./net.ts";
 * const port = freePort();
 * console.assert(port > 0 && port < 65536);
 * ```
 * @module
 */

/**
 * Pick a TCP port that is free on 127.0.0.1 right now: bind port 0, read the port the kernel
 * chose, close the listener. Another process may grab it before you bind it (rare on a test
 * host); callers that spawn servers should fail with a clear message if the bind fails.
 *
 * @returns A port number in 1–65535.
 * @throws {Deno.errors.PermissionDenied} Without `--allow-net=127.0.0.1`.
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0, transport: "tcp" });
  try {
    return (listener.addr as Deno.NetAddr).port;
  } finally {
    listener.close();
  }
}
