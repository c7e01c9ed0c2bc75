/**
 * The command line → the chosen command and its input. Subcommands are found by walking the
 * {@linkcode CommandSpec} tree (global flags may come anywhere); the flags of the chosen command
 * plus the global ones are then parsed by `type-flag` (npm, ESM, no dependencies). Every misuse
 * throws a {@linkcode UsageError} (exit 2) naming the problem, with a "did you mean" where a
 * close name exists.
 * @module
 */
import { typeFlag } from "type-flag";
import { CliError, ExitCode } from "./exit_code.ts";
import type { CommandInput, CommandSpec, FlagSpec } from "./spec.ts";
import { closestName } from "./suggest.ts";

/** A command-line mistake: exit 2, with the command whose `--help` explains the usage. */
export class UsageError extends CliError {
  /** `clawgate nodes invoke`: the command the user was using. */
  readonly commandLine: string;
  /** "Did you mean …?" text, when a close name exists. */
  readonly suggestion?: string;

  constructor(message: string, commandLine: string, suggestion?: string) {
    super("usage", message, { exitCode: ExitCode.USAGE });
    this.name = "UsageError";
    this.commandLine = commandLine;
    this.suggestion = suggestion;
  }
}

/** The outcome of parsing. */
export interface ParsedArgv {
  /** Root first, chosen command last. */
  path: CommandSpec[];
  /** The global flags (`json`, `verbose`, `config`, `profile`, `remote`, `help`, `version`). */
  globals: Record<string, unknown>;
  /** What the chosen command receives. */
  input: CommandInput;
  /** `help [command…]` was used: the command whose help to show. */
  helpPath?: CommandSpec[];
}

const FLAG_TOKEN = /^-{1,2}\w/;

/** `local-port` → `localPort`. */
export function camelName(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `--name <v>` / `-d, --detach`, as usage and errors show a flag. */
export function flagLabel(f: FlagSpec): string {
  return `${f.short ? `-${f.short}, ` : ""}--${f.name}${f.value ? ` ${f.value}` : ""}`;
}

/** `clawgate nodes invoke`. */
export function commandLine(path: readonly CommandSpec[]): string {
  return path.map((c) => c.name).join(" ");
}

/** The name before a flag token's inline value (`--url=x` → `url`), and whether it has one. */
function splitFlagToken(token: string): { name: string; short: boolean; inline: boolean } {
  const short = !token.startsWith("--");
  const body = token.slice(short ? 1 : 2);
  const at = body.search(/[=:.]/);
  return { name: at < 0 ? body : body.slice(0, at), short, inline: at >= 0 };
}

function findFlag(flags: readonly FlagSpec[], token: string): FlagSpec | undefined {
  const { name, short } = splitFlagToken(token);
  if (short) return name.length === 1 ? flags.find((f) => f.short === name) : undefined;
  return flags.find((f) => f.name === name || camelName(f.name) === name);
}

/**
 * Parses `argv` against the tree rooted at `root`.
 *
 * @param root The program (its flags are the global ones, valid at every level).
 * @param argv Arguments after the program name.
 * @throws {UsageError} Unknown command or flag, missing or invalid value, missing or extra
 *   arguments, a required flag absent.
 */
export function parseArgv(root: CommandSpec, argv: readonly string[]): ParsedArgv {
  const globalFlags = root.flags ?? [];
  const path: CommandSpec[] = [root];
  const rest: string[] = [];
  let node = root;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!node.subcommands?.length) {
      rest.push(...argv.slice(i));
      break;
    }
    if (token === "--") {
      // A group reads on past `--` (`clawgate -- nodes invoke …`, as `deno task` passes it).
      if (node.load) {
        rest.push(...argv.slice(i));
        break;
      }
      continue;
    }
    if (FLAG_TOKEN.test(token)) {
      rest.push(token);
      const flag = findFlag([...(node === root ? [] : node.flags ?? []), ...globalFlags], token);
      if (flag?.value && !splitFlagToken(token).inline && i + 1 < argv.length) {
        rest.push(argv[++i]);
      }
      continue;
    }
    const sub = node.subcommands.find((c) => c.name === token);
    if (sub) {
      node = sub;
      path.push(sub);
      continue;
    }
    if (token === "help") {
      return {
        path,
        globals: {},
        input: emptyInput(),
        helpPath: helpTarget(path, argv.slice(i + 1)),
      };
    }
    if (node.load) {
      rest.push(...argv.slice(i));
      break;
    }
    const near = closestName(token, node.subcommands.map((c) => c.name));
    throw new UsageError(
      `unknown command '${token}'`,
      commandLine(path),
      near ? `Did you mean ${near}?` : undefined,
    );
  }
  const own = node === root ? [] : node.flags ?? [];
  const parsed = parseFlags(path, own, globalFlags, rest);
  return { path, ...parsed };
}

/** The command `help a b` names, below `from`. @throws {UsageError} Unknown command. */
function helpTarget(from: CommandSpec[], words: string[]): CommandSpec[] {
  const path = [...from];
  for (const word of words) {
    if (FLAG_TOKEN.test(word)) continue;
    const node = path[path.length - 1];
    const sub = node.subcommands?.find((c) => c.name === word);
    if (!sub) {
      const near = closestName(word, (node.subcommands ?? []).map((c) => c.name));
      throw new UsageError(
        `unknown command '${word}'`,
        commandLine(path),
        near ? `Did you mean ${near}?` : undefined,
      );
    }
    path.push(sub);
  }
  return path;
}

function emptyInput(): CommandInput {
  return { args: {}, flags: {}, given: new Set() };
}

/** `--allow a b` → `--allow a --allow b` for variadic flags (up to a flag or `--`). */
function expandVariadic(flags: readonly FlagSpec[], tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    out.push(token);
    if (token === "--") {
      out.push(...tokens.slice(i + 1));
      break;
    }
    if (!FLAG_TOKEN.test(token)) continue;
    const flag = findFlag(flags, token);
    if (!flag?.variadic || splitFlagToken(token).inline) continue;
    let first = true;
    while (i + 1 < tokens.length && tokens[i + 1] !== "--" && !FLAG_TOKEN.test(tokens[i + 1])) {
      if (!first) out.push(token);
      out.push(tokens[++i]);
      first = false;
    }
  }
  return out;
}

function valueParser(f: FlagSpec, where: string): (value: string) => unknown {
  return (value: string) => {
    if (value === "") throw new UsageError(`option '${flagLabel(f)}' argument missing`, where);
    if (f.choices && !f.choices.includes(value)) {
      throw new UsageError(
        `option '${flagLabel(f)}' argument '${value}' is invalid. Allowed choices are ${
          f.choices.join(", ")
        }.`,
        where,
      );
    }
    if (!f.parse) return value;
    try {
      return f.parse(value);
    } catch (err) {
      throw new UsageError(
        `option '${flagLabel(f)}' argument '${value}' is invalid. ${(err as Error).message}`,
        where,
      );
    }
  };
}

function parseFlags(
  path: CommandSpec[],
  own: readonly FlagSpec[],
  globalFlags: readonly FlagSpec[],
  rest: string[],
): Omit<ParsedArgv, "path" | "helpPath"> {
  const leaf = path[path.length - 1];
  const where = commandLine(path);
  const all = [...own, ...globalFlags];
  const schema: Record<string, unknown> = {};
  for (const f of all) {
    const parser = f.value ? valueParser(f, where) : Boolean;
    const type = f.repeatable || f.variadic ? [parser] : parser;
    schema[camelName(f.name)] = f.short ? { type, alias: f.short } : type;
  }
  const tokens = expandVariadic(all, rest);
  const hasDash = tokens.includes("--");
  // deno-lint-ignore no-explicit-any -- the schema is built at run time
  const parsed = typeFlag(schema as any, tokens);
  const values = parsed.flags as Record<string, unknown>;
  const flags: Record<string, unknown> = {};
  const globals: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const f of all) {
    const key = camelName(f.name);
    let value = values[key];
    if (Array.isArray(value) && value.length === 0) value = undefined;
    if (value !== undefined) given.add(key);
    else value = Array.isArray(f.default) ? [...f.default] : f.default;
    (own.includes(f) ? flags : globals)[key] = value;
  }
  // `--help` / `--version` win over every other problem on the line.
  if (globals.help || globals.version) {
    return { globals, input: { args: {}, flags, given } };
  }
  const unknown = Object.keys(parsed.unknownFlags)[0];
  if (unknown !== undefined) {
    const label = unknown.length === 1 ? `-${unknown}` : `--${unknown}`;
    const near = closestName(label, all.filter((f) => !f.hidden).map((f) => `--${f.name}`));
    throw new UsageError(
      `unknown option '${label}'`,
      where,
      near ? `Did you mean ${near}?` : undefined,
    );
  }
  const missing = all.find((f) => f.required && flags[camelName(f.name)] === undefined);
  if (missing) throw new UsageError(`required option '${flagLabel(missing)}' not specified`, where);
  const operands = [...parsed._];
  const afterDash = hasDash ? [...parsed._["--"]] : undefined;
  return { globals, input: { args: assignArgs(leaf, operands, where), flags, given, afterDash } };
}

function assignArgs(
  leaf: CommandSpec,
  operands: string[],
  where: string,
): CommandInput["args"] {
  const specs = leaf.args ?? [];
  const args: CommandInput["args"] = {};
  specs.forEach((a, i) => {
    if (a.variadic) args[a.name] = operands.slice(i);
    else args[a.name] = operands[i];
    if (a.required && operands[i] === undefined) {
      throw new UsageError(`missing required argument '${a.name}'`, where);
    }
  });
  const max = specs.some((a) => a.variadic) ? Infinity : specs.length;
  if (operands.length > max) {
    throw new UsageError(
      `too many arguments for '${leaf.name}'. Expected ${max} argument${
        max === 1 ? "" : "s"
      } but got ${operands.length}.`,
      where,
    );
  }
  return args;
}
