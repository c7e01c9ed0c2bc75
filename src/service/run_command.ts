/**
 * The seam service code uses to run `systemctl`, `launchctl`, `loginctl` and friends to
 * completion. Tests inject a recorder; the CLI uses {@linkcode denoCommandRunner}.
 * @module
 */

/** Result of one finished command. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command args…` to completion and returns its output.
 *
 * @param options.env Extra environment for the child (merged over the current one).
 * @throws {Deno.errors.NotFound} When the program is not installed.
 */
export type CommandRunner = (
  command: string,
  args: string[],
  options?: { env?: Record<string, string> },
) => Promise<CommandResult>;

/** The `Deno.Command` runner (stdin closed, stdout and stderr captured). */
export const denoCommandRunner: CommandRunner = async (command, args, options = {}) => {
  const out = await new Deno.Command(command, {
    args,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
};
