/**
 * A cross-process lock for `deno task dist`: test files running in parallel (and people) may
 * build `dist/clawgate` at the same time, and two `npm install`s into one prefix or two builds
 * of one output must not interleave. The lock is a directory (mkdir is atomic) holding the
 * owner's pid; a lock whose owner is gone (no `/proc/<pid>`, or no pid written after 60 s) is
 * taken over.
 * @module
 */

function ownerGone(lock: string): boolean {
  let pid = 0;
  try {
    pid = Number(Deno.readTextFileSync(`${lock}/pid`).trim());
  } catch { /* not written yet, or the lock just went away */ }
  if (pid > 0) {
    try {
      Deno.statSync(`/proc/${pid}`);
      return false;
    } catch {
      return true;
    }
  }
  try {
    const age = Date.now() - (Deno.statSync(lock).mtime?.getTime() ?? Date.now());
    return age > 60_000;
  } catch {
    return false; // released meanwhile: the next mkdir decides
  }
}

/**
 * Runs `fn` while holding the lock directory `lock`; waits (polling every 250 ms) while
 * another live process holds it.
 *
 * @param lock Path of the lock directory (its parent must exist).
 * @param timeoutMs Give up waiting after this long. @default {900000}
 * @throws {Error} When the lock stays held by a live process for `timeoutMs`.
 */
export async function withDistLock<T>(
  lock: string,
  fn: () => Promise<T>,
  timeoutMs = 900_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      Deno.mkdirSync(lock);
      Deno.writeTextFileSync(`${lock}/pid`, String(Deno.pid));
      break;
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      if (ownerGone(lock)) {
        Deno.removeSync(lock, { recursive: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`${lock} is held by another build for over ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    Deno.removeSync(lock, { recursive: true });
  }
}
