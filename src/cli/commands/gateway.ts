/**
 * `gateway run|health|status|call|send|agent`: the gateway itself and raw/typed RPCs to one.
 * @module
 */
import { Command } from "commander";
import { requiredScope, Scopes } from "../../protocol/mod.ts";
import type { Runner } from "../runner.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { type OperatorFlags, withOperatorSession } from "../operator_session.ts";
import { writeJson } from "../render.ts";
import { withSecretOptions } from "../secret_input.ts";
import { gatewayRunCommand } from "./gateway_run.ts";
import { runHealth } from "./health.ts";
import { serviceCommands } from "./service.ts";

/** Adds `--url --token[-file] --password[-file] --timeout` to an operator command. */
export function withConnectionFlags(cmd: Command): Command {
  return withSecretOptions(cmd.option(
    "--url <url>",
    "gateway WebSocket URL (needs --token or --password); env CLAWGATE_GATEWAY_URL",
  ))
    .option("--timeout <ms>", "deadline for the connection and each RPC in ms", "10000");
}

/** Scopes an arbitrary method call requests: the method's own, plus admin for pairing approvals. */
export function scopesForMethod(method: string): string[] {
  const scope = requiredScope(method);
  if (!scope) return [Scopes.READ];
  if (scope === Scopes.PAIRING) return [Scopes.PAIRING, Scopes.ADMIN];
  return [scope];
}

/** Parses `--params` JSON. @throws {CliError} exit 2 with the JSON error. */
export function parseParamsJson(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError("usage", `Invalid --params: ${(err as Error).message}`, {
      exitCode: ExitCode.USAGE,
      hint: `Pass a JSON object, e.g. --params '{"nodeId":"abc"}'`,
    });
  }
}

/** Calls one method and prints its payload as JSON (both modes). */
async function callAndPrint(
  ctx: CliContext,
  flags: OperatorFlags & { expectFinal?: boolean },
  method: string,
  params: unknown,
): Promise<number> {
  const payload = await withOperatorSession(
    ctx,
    flags,
    scopesForMethod(method),
    (client, _t, timeoutMs) =>
      client.request(method, params, { timeoutMs, expectFinal: flags.expectFinal }),
  );
  if (!ctx.globals.json) ctx.stderr(`Gateway call: ${method}\n`);
  writeJson(ctx, payload ?? null);
  return ExitCode.OK;
}

/** Builds the `gateway` command group. */
export function gatewayCommand(run: Runner): Command {
  const gateway = new Command("gateway").description("run a gateway, or talk to one");
  gateway.addCommand(gatewayRunCommand(run));
  gateway.addCommand(
    withConnectionFlags(new Command("health").description("handshake + health; exit 0 only if ok"))
      .action(run((ctx: CliContext, flags: OperatorFlags) => runHealth(ctx, flags))),
  );
  gateway.addCommand(
    withConnectionFlags(
      new Command("status").description(
        "the service (installed, state, pid, since, last exit), then a probe of the gateway",
      ),
    )
      .option("--deep", "also warn about other gateways on this host (profiles, stray runs)")
      .action(
        run(async (ctx: CliContext, flags: OperatorFlags & { deep?: boolean }) =>
          (await import("./service_status.ts")).runGatewayStatus(ctx, flags)
        ),
      ),
  );
  for (const cmd of serviceCommands("gateway", run)) gateway.addCommand(cmd);
  gateway.addCommand(
    withConnectionFlags(
      new Command("call").description("call any gateway method and print its JSON result"),
    )
      .argument("<method>", "method name, e.g. status, node.list")
      .option("--params <json>", "params as a JSON object", "{}")
      .option("--expect-final", "wait past an `accepted` first response (two-phase methods)")
      .action(
        run((
          ctx: CliContext,
          method: string,
          flags: OperatorFlags & { params?: string; expectFinal?: boolean },
        ) => callAndPrint(ctx, flags, method, parseParamsJson(flags.params))),
      ),
  );
  gateway.addCommand(
    withConnectionFlags(
      new Command("send").description("OpenClaw `send` (clawgate gateways answer: no channels)"),
    )
      .requiredOption("--to <target>", "recipient")
      .requiredOption("--message <text>", "message text")
      .option("--channel <name>", "channel")
      .action(
        run((
          ctx: CliContext,
          flags: OperatorFlags & { to: string; message: string; channel?: string },
        ) =>
          callAndPrint(ctx, flags, "send", {
            to: flags.to,
            message: flags.message,
            ...(flags.channel ? { channel: flags.channel } : {}),
            idempotencyKey: crypto.randomUUID(),
          })
        ),
      ),
  );
  gateway.addCommand(
    withConnectionFlags(
      new Command("agent").description("OpenClaw `agent` (clawgate gateways answer: no agents)"),
    )
      .requiredOption("--message <text>", "prompt")
      .option("--agent-id <id>", "agent id")
      .option("--expect-final", "wait for the final result", true)
      .action(
        run((
          ctx: CliContext,
          flags: OperatorFlags & { message: string; agentId?: string; expectFinal?: boolean },
        ) =>
          callAndPrint(ctx, flags, "agent", {
            message: flags.message,
            ...(flags.agentId ? { agentId: flags.agentId } : {}),
            idempotencyKey: crypto.randomUUID(),
          })
        ),
      ),
  );
  return gateway;
}
