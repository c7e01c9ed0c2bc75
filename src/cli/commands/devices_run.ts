/**
 * `devices list|approve|reject`: device pairing requests over `device.pair.*`. Approving a
 * node-role device needs `operator.admin` besides `operator.pairing` (protocol.md §3.4), so
 * approve/reject ask for both; list asks for `operator.pairing` only. Loaded when one of them
 * runs (./devices.ts declares them).
 * @module
 */
import { Scopes } from "../../protocol/mod.ts";
import type { CliContext } from "../context.ts";
import { ExitCode } from "../exit_code.ts";
import { type OperatorFlags, withOperatorSession } from "../operator_session.ts";
import { table, writeJson, writeLine } from "../render.ts";
import type { Action } from "../spec.ts";

/** A pending or paired device. */
export interface DeviceEntry {
  requestId?: string;
  deviceId: string;
  displayName?: string;
  platform?: string;
  clientId?: string;
  role?: string;
  roles?: string[];
  scopes?: string[];
  remoteIp?: string;
  ts?: number;
  approvedAtMs?: number;
}

function when(ms?: number): string {
  return ms ? new Date(ms).toISOString() : "-";
}

/** `device.pair.list`'s answer. */
export interface DeviceList {
  pending?: DeviceEntry[];
  paired?: DeviceEntry[];
}

/** `devices list`: `device.pair.list` (operator.pairing), then {@linkcode renderDeviceList}. */
export const listMain: Action = async (ctx, { flags }) =>
  renderDeviceList(
    ctx,
    await withOperatorSession(
      ctx,
      flags as OperatorFlags,
      [Scopes.PAIRING],
      (c, _t, ms) => c.request<DeviceList>("device.pair.list", {}, { timeoutMs: ms }),
    ),
  );

/** Prints pending and paired devices as two tables, or the answer as is with `--json`. */
export function renderDeviceList(ctx: CliContext, res: DeviceList | undefined): number {
  if (ctx.globals.json) {
    writeJson(ctx, res);
    return ExitCode.OK;
  }
  const pending = res?.pending ?? [];
  const paired = res?.paired ?? [];
  writeLine(ctx, `Pending (${pending.length})`);
  if (pending.length) {
    writeLine(
      ctx,
      table(
        ["REQUEST", "DEVICE", "NAME", "ROLE", "CLIENT", "IP", "REQUESTED"],
        pending.map((d) => [
          d.requestId ?? "",
          d.deviceId.slice(0, 12),
          d.displayName ?? "",
          d.role ?? (d.roles ?? []).join(","),
          d.clientId ?? "",
          d.remoteIp ?? "",
          when(d.ts),
        ]),
      ),
    );
  }
  writeLine(ctx, `\nPaired (${paired.length})`);
  if (paired.length) {
    writeLine(
      ctx,
      table(
        ["DEVICE", "NAME", "ROLES", "CLIENT", "APPROVED"],
        paired.map((d) => [
          d.deviceId.slice(0, 12),
          d.displayName ?? "",
          (d.roles ?? (d.role ? [d.role] : [])).join(","),
          d.clientId ?? "",
          when(d.approvedAtMs ?? d.ts),
        ]),
      ),
    );
  }
  return ExitCode.OK;
}

/** `devices approve|reject <requestId>`. */
export function pairMain(verb: "approve" | "reject"): Action {
  return async (ctx, input) => {
    const flags = input.flags as OperatorFlags;
    const requestId = input.args.requestId as string;
    const res = await withOperatorSession(
      ctx,
      flags,
      [Scopes.PAIRING, Scopes.ADMIN],
      (c, _t, ms) => c.request(`device.pair.${verb}`, { requestId }, { timeoutMs: ms }),
    );
    if (ctx.globals.json) writeJson(ctx, res ?? null);
    else {writeLine(
        ctx,
        `${verb === "approve" ? "Approved" : "Rejected"} device request ${requestId}`,
      );}
    return ExitCode.OK;
  };
}
