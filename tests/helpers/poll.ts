/**
 * Bounded polling for tests: re-run a probe until it yields a value or the deadline passes.
 * @module
 */

/**
 * Calls `probe` every `everyMs` until it returns something other than `undefined`.
 *
 * @param what Named in the timeout error.
 * @param timeoutMs Deadline for the whole wait, in milliseconds. @default {30000}
 * @param everyMs Pause between probes, in milliseconds. @default {250}
 * @param context Extra text for the timeout error (e.g. a process's last output).
 * @throws {Error} `timed out after … waiting for <what>` when the deadline passes.
 */
export async function poll<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
  everyMs = 250,
  context: () => string = () => "",
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (true) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${context()}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
