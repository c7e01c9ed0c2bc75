/**
 * State dir hygiene at the start of a long-running process (`gateway run`, `node connect`):
 * the dir and its subdirectories are private (0700; a looser existing mode is tightened, or a
 * warning names the dir when that fails) and stale temp files of interrupted atomic writes
 * (src/platform/atomic_write.ts) are removed.
 * @module
 */
import { removeStaleTempFiles } from "./atomic_write.ts";

/** Where {@linkcode prepareStateDir} reports what it did. */
export interface HygieneLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Creates `stateDir` (0700) if missing; tightens it and its direct subdirectories to 0700 when
 * group or others have any access; removes stale atomic-write temp files in them. POSIX only
 * for modes (Windows has none to tighten).
 *
 * @param stateDir The state directory.
 * @param log Receives one line per directory tightened or left loose, and per cleanup.
 * @throws {Deno.errors.PermissionDenied} When the state dir cannot be created.
 */
export async function prepareStateDir(stateDir: string, log: HygieneLog): Promise<void> {
  await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const dirs = [stateDir];
  for await (const e of Deno.readDir(stateDir)) {
    if (e.isDirectory) dirs.push(`${stateDir}/${e.name}`);
  }
  for (const dir of dirs) {
    const mode = (await Deno.stat(dir)).mode;
    if (mode !== null && (mode & 0o077) !== 0) {
      const was = (mode & 0o777).toString(8).padStart(4, "0");
      try {
        await Deno.chmod(dir, 0o700);
        log.info(`state dir ${dir} was mode ${was}: tightened to 0700`);
      } catch (err) {
        log.warn(
          `state dir ${dir} is mode ${was} (others can read it) and cannot be tightened: ${
            (err as Error).message
          }; run: chmod 700 ${dir}`,
        );
      }
    }
    const removed = await removeStaleTempFiles(dir);
    if (removed.length) {
      log.info(`removed ${removed.length} stale temp file(s) of interrupted writes in ${dir}`);
    }
  }
}
