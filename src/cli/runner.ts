/**
 * The types every command module shares with the tree that mounts it, kept apart from
 * `app.ts` so nothing under `commands/` imports the file that assembles the tree.
 * @module
 */
import type { CliContext } from "./context.ts";

/** An action body: returns an exit code (default 0) or throws. */
export type ActionBody<A extends unknown[]> = (
  ctx: CliContext,
  ...args: A
) => Promise<number | void>;

/** Wraps an action body; given to every command factory. */
export type Runner = <A extends unknown[]>(body: ActionBody<A>) => (...args: A) => Promise<void>;
