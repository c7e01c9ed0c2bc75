/**
 * The tunnel's link check: an ssh-level round trip on demand, without touching the gateway.
 * The supervised ssh also forwards a local Unix socket to a remote path that cannot exist
 * ({@linkcode LINK_CHECK_REMOTE_PATH}). Connecting to that socket makes ssh ask sshd for a
 * channel; a live sshd session refuses at once ("open failed"), and ssh closes our socket. So
 * an EOF within milliseconds proves the whole path works (ssh, the network, the sshd session);
 * a dead link (laptop sleep, network change, a stalled sshd) swallows the request and the
 * socket stays silent. autossh's `-M` monitor port does the same job with a remote echo
 * service (tunnel-and-deno.md A1); this needs nothing on the server. sshd logs each refused
 * channel, so the supervisor uses it only to settle a doubt; its routine check is
 * {@linkcode checkHttp}, an HTTP request through the gateway forward that a working path
 * answers without any log line on the server (OpenClaw's PortGuardian counts any HTTP answer
 * on the forward as healthy, tunnel-and-deno.md A2).
 * @module
 */

/** The remote end of the link-check forward: below `/dev/null`, so it can never exist. */
export const LINK_CHECK_REMOTE_PATH = "/dev/null/clawgate-link-check";

/**
 * `answered`: ssh closed our socket (sshd refused the channel: the link works).
 * `silent`: nothing within the deadline (the link swallows requests).
 * `no-listener`: nothing listens on the socket (ssh is gone or not set up yet).
 */
export type LinkAnswer = "answered" | "silent" | "no-listener";

/**
 * Connects to ssh's local end of the link-check forward and waits for ssh to close it.
 *
 * @param socketPath The local Unix socket ssh listens on (`-L <socketPath>:<remote path>`).
 * @param timeoutMs How long to wait for the refusal, in milliseconds.
 * @param signal Aborts the wait (the result is then `silent`).
 * @returns What happened; never throws.
 */
export async function checkLink(
  socketPath: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<LinkAnswer> {
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path: socketPath });
  } catch {
    return "no-listener";
  }
  // Any byte or EOF counts: something on the far side answered.
  return await answerWithin(conn, timeoutMs, signal, async () => {
    await conn.read(new Uint8Array(256));
    return "answered" as const;
  }, "answered");
}

/**
 * `answered`: some bytes came back (the link and the gateway work). `closed`: the connection
 * closed with no answer (ssh dropped it: sshd refused the channel, i.e. nothing listens on the
 * remote port). `silent`: nothing within the deadline (a dead link, or a hung gateway).
 * `no-listener`: nothing accepts on the local port.
 */
export type HttpAnswer = "answered" | "closed" | "silent" | "no-listener";

/**
 * Sends `GET /healthz` through the forward on 127.0.0.1:`port` and waits for the first bytes.
 *
 * @param port The forward's local port.
 * @param timeoutMs How long to wait for an answer, in milliseconds.
 * @param signal Aborts the wait (the result is then `silent`).
 * @returns What happened; never throws.
 */
export async function checkHttp(
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch {
    return "no-listener";
  }
  return await answerWithin(conn, timeoutMs, signal, async (): Promise<HttpAnswer> => {
    await conn.write(
      new TextEncoder().encode(
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      ),
    );
    return await conn.read(new Uint8Array(256)) === null ? "closed" : "answered";
  }, "closed");
}

/**
 * Runs `exchange` on `conn` with a deadline: its result, `onError` when it throws, `silent`
 * after `timeoutMs` or on abort. Always closes `conn`.
 */
async function answerWithin<T extends string>(
  conn: Deno.Conn,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  exchange: () => Promise<T>,
  onError: T,
): Promise<T | "silent"> {
  if (signal?.aborted) {
    closeConn(conn);
    return "silent";
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => closeConn(conn);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const answer = exchange().catch(() => onError);
    const quiet = new Promise<"silent">((r) => (timer = setTimeout(() => r("silent"), timeoutMs)));
    const result = await Promise.race([answer, quiet]);
    return signal?.aborted ? "silent" : result;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    closeConn(conn);
  }
}

function closeConn(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}
