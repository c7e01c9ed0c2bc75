/**
 * `--help` text rendered from the {@linkcode CommandSpec} tree, laid out as commander laid it
 * out before: usage line, description, Arguments, Options (with defaults, choices and env),
 * Global Options, Commands; wrapped at 80 columns.
 * @module
 */
import { camelName, commandLine, flagLabel } from "./parse_argv.ts";
import type { CommandSpec, FlagSpec } from "./spec.ts";

const WIDTH = 80;
const HELP_FLAG = "-h, --help";

function usageArgs(c: CommandSpec): string {
  return (c.args ?? []).map((a) => {
    const name = `${a.name}${a.variadic ? "..." : ""}`;
    return a.required ? `<${name}>` : `[${name}]`;
  }).join(" ");
}

function quote(v: unknown): string {
  return typeof v === "string"
    ? JSON.stringify(v)
    : Array.isArray(v)
    ? JSON.stringify(v)
    : String(v);
}

function flagDescription(f: FlagSpec): string {
  const extra: string[] = [];
  if (f.choices) extra.push(`choices: ${f.choices.map(quote).join(", ")}`);
  if (f.default !== undefined) extra.push(`default: ${quote(f.default)}`);
  if (f.env) extra.push(`env: ${f.env}`);
  return extra.length ? `${f.description} (${extra.join(", ")})` : f.description;
}

/** Wraps `text` to fit after a `indent`-column term; unwrapped when too little room is left. */
function wrap(text: string, indent: number): string {
  const room = WIDTH - indent;
  if (room < 40) return text;
  const lines: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(" ")) {
      if (line && line.length + 1 + word.length > room) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines.join("\n" + " ".repeat(indent));
}

function section(title: string, rows: Array<[string, string]>, termWidth: number): string[] {
  if (!rows.length) return [];
  return [
    "",
    `${title}:`,
    ...rows.map(([term, text]) =>
      `  ${term.padEnd(termWidth)}  ${wrap(text, termWidth + 4)}`.trimEnd()
    ),
  ];
}

/**
 * The help of the last command of `path` (root first).
 *
 * @param path Root … command.
 * @returns Text ending with a newline.
 */
export function renderHelp(path: readonly CommandSpec[]): string {
  const root = path[0];
  const cmd = path[path.length - 1];
  const isRoot = path.length === 1;
  const own = (isRoot ? root.flags ?? [] : cmd.flags ?? []).filter((f) =>
    !f.hidden && f.name !== "help"
  );
  const subs = cmd.subcommands ?? [];
  const usage = [
    `Usage: ${commandLine(path)}`,
    "[options]",
    usageArgs(cmd),
    subs.length ? "[command]" : "",
  ].filter(Boolean).join(" ");

  const args: Array<[string, string]> = (cmd.args ?? []).map((a) => [a.name, a.description]);
  const opts: Array<[string, string]> = [
    ...own.map((f): [string, string] => [flagLabel(f), flagDescription(f)]),
    [HELP_FLAG, "display help for command"],
  ];
  const globals: Array<[string, string]> = isRoot ? [] : (root.flags ?? [])
    .filter((f) => !f.hidden && camelName(f.name) !== "help")
    .map((f) => [flagLabel(f), flagDescription(f)]);
  const commands: Array<[string, string]> = subs.length
    ? [
      ...subs.map((c): [string, string] => [
        [c.name, c.flags?.length ? "[options]" : "", usageArgs(c)].filter(Boolean).join(" "),
        c.summary,
      ]),
      ["help [command]", "display help for command"],
    ]
    : [];
  const termWidth = Math.max(
    0,
    ...[...args, ...opts, ...globals, ...commands].map(([t]) => t.length),
  );
  return [
    usage,
    "",
    wrap(cmd.summary, 0),
    ...section("Arguments", args, termWidth),
    ...section("Options", opts, termWidth),
    ...section("Global Options", globals, termWidth),
    ...section("Commands", commands, termWidth),
  ].join("\n") + "\n";
}
