/**
 * Parallel `connect` attempts with a given password or token, for auth-limiter tests and
 * benchmarks: each attempt is its own WebSocket; the result counts the answers by
 * `details.code` (`ok` for a hello).
 * @module
 */
import { connectFrame, openRaw } from "./raw_ws.ts";

/**
 * Opens `count` sockets at once and sends one `connect` each with `auth`.
 *
 * @returns Answers by code (`ok`, `AUTH_TOKEN_MISMATCH`, `AUTH_RATE_LIMITED`, …; `refused` when
 *   the socket could not be opened or closed without an answer).
 */
export async function connectFlood(
  url: string,
  auth: Record<string, string>,
  count: number,
): Promise<Record<string, number>> {
  const answers = await Promise.all(
    Array.from({ length: count }, async () => {
      try {
        const ws = await openRaw(url);
        await ws.frame(1, 60_000);
        ws.send(connectFrame({ auth }));
        const res = await ws.frame(2, 60_000);
        ws.close();
        if (res.ok) return "ok";
        return ((res.error as { details?: { code?: string } }).details?.code) ?? "error";
      } catch {
        return "refused";
      }
    }),
  );
  const counts: Record<string, number> = {};
  for (const a of answers) counts[a] = (counts[a] ?? 0) + 1;
  return counts;
}
