/**
 * The process-spawning seam: a {@linkcode Spawner} starts a program and hands back its pid,
 * exit status, stderr as a stream of lines, and a `kill`. The default implementation uses
 * `Deno.Command`; on Linux it wraps the program in `setpriv --pdeathsig TERM --` (when
 * `/usr/bin/setpriv` exists) so the child gets SIGTERM if clawgate dies, even by SIGKILL.
 * `setpriv` execs the program, so the pid is the program's own pid. The same wrapping is
 * exported for other children ({@linkcode parentDeathArgv}, {@linkcode groupParentDeathArgv}).
 *
 * Sources: tunnel-and-deno.md B1 (Deno children survive their parent; setpriv verified).
 * @module
 */

/** How a spawned process ended. */
export interface SpawnStatus {
  /** Exit code (128+n for signal n, as Deno reports it). */
  code: number;
  /** The signal that killed it, or null. */
  signal: string | null;
}

/** A running child process. */
export interface SpawnedProcess {
  /** The child's pid (the program's own pid, also when wrapped in setpriv). */
  readonly pid: number;
  /** Resolves once the child exited; never rejects. */
  readonly status: Promise<SpawnStatus>;
  /** The child's stderr, decoded as UTF-8 and split into lines (without `\n`). */
  readonly stderrLines: AsyncIterable<string>;
  /** Sends a signal; a no-op once the child has exited. @default {"SIGTERM"} */
  kill(signal?: Deno.Signal): void;
}

/** Starts programs. Tests pass a fake; the CLI uses {@linkcode createDenoSpawner}. */
export interface Spawner {
  /**
   * Starts `command` with `args` (stdin and stdout are `null`, stderr is piped).
   *
   * @throws {Deno.errors.NotFound} When the program is not installed.
   */
  spawn(command: string, args: string[]): SpawnedProcess;
}

/** Path of util-linux's setpriv, used for the parent-death signal. */
export const SETPRIV_PATH = "/usr/bin/setpriv";

/**
 * The `Deno.Command` spawner.
 *
 * @param options.parentDeathSignal Wrap in `setpriv --pdeathsig TERM --` when available
 *   (Linux only). @default {true}
 * @returns A {@linkcode Spawner}.
 */
export function createDenoSpawner(options: { parentDeathSignal?: boolean } = {}): Spawner {
  const wrap = options.parentDeathSignal ?? true;
  return {
    spawn(command, args) {
      const [cmd, argv] = wrap ? parentDeathArgv(command, args) : [command, args];
      let child: Deno.ChildProcess;
      try {
        child = new Deno.Command(cmd, {
          args: argv,
          stdin: "null",
          stdout: "null",
          stderr: "piped",
        })
          .spawn();
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) {
          throw new Deno.errors.NotFound(`${cmd} is not installed or not on PATH`);
        }
        throw err;
      }
      let exited = false;
      const status = child.status.then((s) => {
        exited = true;
        return { code: s.code, signal: s.signal ?? null };
      });
      return {
        pid: child.pid,
        status,
        stderrLines: splitLines(child.stderr),
        kill(signal: Deno.Signal = "SIGTERM") {
          if (exited) return;
          try {
            child.kill(signal);
          } catch { /* already terminated */ }
        },
      };
    },
  };
}

/** Whether the parent-death signal is available here (Linux with util-linux `setpriv`). */
export function hasParentDeathSignal(): boolean {
  return Deno.build.os === "linux" && exists(SETPRIV_PATH);
}

/**
 * The program and arguments that run `command args` so it receives SIGTERM when this process
 * dies, even by SIGKILL: `setpriv --pdeathsig TERM -- command args…`. Unchanged where
 * {@linkcode hasParentDeathSignal} is false.
 */
export function parentDeathArgv(command: string, args: string[]): [string, string[]] {
  return hasParentDeathSignal()
    ? [SETPRIV_PATH, ["--pdeathsig", "TERM", "--", command, ...args]]
    : [command, args];
}

/**
 * A POSIX sh program that runs `"$@"` as its child and, on SIGTERM (the parent-death signal),
 * SIGKILLs its whole process group; when the child is killed by a signal it re-raises that
 * signal on itself, so the exit status reads like the child's own.
 */
const GROUP_REAPER_SH = [
  'trap "kill -KILL 0" TERM',
  '"$@" &',
  'wait "$!"',
  "s=$?",
  "trap - TERM",
  'if [ "$s" -gt 128 ] && [ "$s" -lt 193 ]; then kill -s "$(kill -l "$s")" "$$"; fi',
  'exit "$s"',
].join("\n");

/**
 * Like {@linkcode parentDeathArgv}, but for a child that leads its own process group
 * (`detached: true`): when this process dies, the whole group (grandchildren too) is killed.
 * A child that exits on its own with a status above 128 is reported as killed by that signal,
 * as shells do.
 */
export function groupParentDeathArgv(command: string, args: string[]): [string, string[]] {
  return hasParentDeathSignal()
    ? parentDeathArgv("/bin/sh", ["-c", GROUP_REAPER_SH, "clawgate-run", command, ...args])
    : [command, args];
}

/**
 * Splits a byte stream into UTF-8 lines (a final unterminated line is yielded too).
 *
 * @param stream The byte stream; it is consumed.
 */
export async function* splitLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, nl).replace(/\r$/, "");
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer) yield buffer;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
