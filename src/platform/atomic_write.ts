/**
 * Crash-safe, private file writes for state files (identities, device tokens, node config).
 *
 * The data is written to a temporary file **in the same directory** (created with the final
 * permission bits, so secrets are never readable by others, not even briefly), flushed with
 * `fsync`, then moved over the target with `Deno.rename`, which is atomic on POSIX file
 * systems: readers see either the old file or the complete new one, never a torn write.
 * Missing parent directories are created with mode `0o700`.
 *
 * Concurrency: two writers racing on the same path both succeed and the last rename wins. For
 * create-if-absent semantics (e.g. a first-run key pair), pass `exclusive: true`: the temp file
 * is then hard-linked into place, which fails when the target already exists.
 *
 * @example Write a private JSON state file
 * ```ts
 * import { writeJsonAtomic } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeJsonAtomic(`${dir}/state/device.json`, { version: 1 });
 * console.assert((await Deno.stat(`${dir}/state/device.json`)).mode! % 0o1000 === 0o600);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */

/** Options for {@link writeFileAtomic} and {@link writeJsonAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of the written file. @default {0o600} */
  mode?: number;
  /** Permission bits for parent directories this call creates (existing ones are untouched). @default {0o700} */
  dirMode?: number;
  /**
   * Only create the file: when the target already exists, leave it untouched and return
   * `false`. Uses a hard link, so the file system must support links.
   * @default {false}
   */
  exclusive?: boolean;
}

/**
 * Atomically replace (or create) `path` with `data`.
 *
 * @param path Target file path.
 * @param data File contents; strings are written as UTF-8.
 * @param options Mode bits and exclusivity, see {@link AtomicWriteOptions}.
 * @returns `true` when the file was written; `false` only with `exclusive` when `path` existed.
 * @throws {Deno.errors.PermissionDenied} When the directory is not writable (fix its owner or mode).
 * @throws {Deno.errors.NotSupported} With `exclusive` on a file system without hard links.
 * @throws {Error} Any other I/O failure; the temp file is removed and the target left intact.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<boolean> {
  const mode = options.mode ?? 0o600;
  const dir = dirnameOf(path);
  await Deno.mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 });
  const tmp = `${dir}/.${basenameOf(path)}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  try {
    const file = await Deno.open(tmp, { write: true, createNew: true, mode });
    try {
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    // Enforce the mode even if the umask stripped bits that were asked for.
    await Deno.chmod(tmp, mode);
    if (options.exclusive) {
      try {
        await Deno.link(tmp, path);
      } catch (err) {
        if (err instanceof Deno.errors.AlreadyExists) return false;
        throw err;
      }
      return true;
    }
    await Deno.rename(tmp, path);
    return true;
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

/**
 * Atomically write `value` as pretty-printed JSON (2-space indent, trailing newline) with
 * private permissions. See the module doc for the guarantees.
 *
 * @param path Target file path.
 * @param value Any JSON-serializable value.
 * @param options Mode bits and exclusivity; `mode` defaults to `0o600`, new dirs to `0o700`.
 * @returns `true` when written; `false` only with `exclusive` when `path` already existed.
 * @throws {TypeError} When `value` cannot be serialized (cycles, BigInt).
 * @throws {Error} I/O failures as in {@link writeFileAtomic}.
 */
export async function writeJsonAtomic(
  path: string,
  value: unknown,
  options: AtomicWriteOptions = {},
): Promise<boolean> {
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) {
    throw new TypeError(`cannot write ${path}: value is not JSON-serializable`);
  }
  return await writeFileAtomic(path, text + "\n", options);
}

/** Temp files of {@linkcode writeFileAtomic}: `.<name>.<pid>.<8 hex>.tmp`. */
const TEMP_NAME = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes temp files that interrupted atomic writes (a crash or SIGKILL between create and
 * rename) left in `dir`: those older than `maxAgeMs`. A write keeps its temp file for
 * milliseconds, so an old one has no live writer. (Asking whether the writer's pid still runs
 * needs `/proc`, which Deno opens only with `--allow-all`.) Other files are never touched.
 *
 * @param maxAgeMs Age (by mtime) from which a temp file is stale. @default {60000}
 * @returns The paths removed. A missing `dir` removes nothing; I/O errors are not thrown.
 */
export async function removeStaleTempFiles(dir: string, maxAgeMs = 60_000): Promise<string[]> {
  const removed: string[] = [];
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && TEMP_NAME.test(e.name)) names.push(e.name);
    }
  } catch {
    return removed;
  }
  for (const name of names) {
    const path = `${dir}/${name}`;
    const mtime = (await Deno.stat(path).catch(() => null))?.mtime?.getTime();
    if (mtime === undefined || Date.now() - mtime < maxAgeMs) continue;
    if (await Deno.remove(path).then(() => true, () => false)) removed.push(path);
  }
  return removed;
}

function dirnameOf(path: string): string {
  const i = path.lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : path.slice(0, i);
}

function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
