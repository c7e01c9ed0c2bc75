/**
 * `device.pair.list|approve|reject|remove`: operator control of device pairing.
 *
 * Source: `src/gateway/server-methods/devices.ts` (openclaw@2026.9.6), protocol.md §3.4.
 * @module
 */
import {
  DeviceIdParamsSchema,
  hasScope,
  invalidRequest,
  RequestIdParamsSchema,
  Scopes,
} from "../../protocol/mod.ts";
import { method, type MethodTable } from "../methods/registry.ts";
import type { GatewayState } from "../state.ts";
import type { StoreDeviceAdmission } from "./admission.ts";
import { publicDevice } from "./store.ts";

/** Device pairing methods backed by the admission's store. */
export function deviceMethods(admission: StoreDeviceAdmission): MethodTable {
  const store = admission.store;
  const connected = (state: GatewayState, deviceId: string) =>
    state.deviceSessions(deviceId).length > 0;
  /** Drops a pending request, persists, and announces the decision. */
  const resolvePending = async (
    state: GatewayState,
    req: { requestId: string; deviceId: string },
    decision: "approved" | "rejected",
  ) => {
    store.devices.pending = store.devices.pending.filter((p) => p.requestId !== req.requestId);
    await store.save();
    state.broadcast("device.pair.resolved", {
      requestId: req.requestId,
      deviceId: req.deviceId,
      decision,
      ts: Date.now(),
    });
  };
  return {
    "device.pair.list": method({
      handler: ({ state }) => ({
        pending: store.devices.pending,
        paired: store.devices.paired.map((d) => ({
          ...publicDevice(d),
          connected: connected(state, d.deviceId),
        })),
      }),
    }),
    "device.pair.approve": method({
      params: RequestIdParamsSchema,
      handler: async ({ state, session, params }) => {
        const req = store.devices.pending.find((p) => p.requestId === params.requestId);
        if (!req) throw invalidRequest("unknown requestId");
        // Approving a non-operator role, or admin scopes, needs operator.admin.
        const needsAdmin = req.role !== "operator" || req.scopes.includes(Scopes.ADMIN);
        if (needsAdmin && !hasScope(session.scopes, Scopes.ADMIN)) {
          throw invalidRequest("device pairing approval denied");
        }
        const {
          requestId: _r,
          role,
          roles: _rs,
          scopes,
          silent: _s,
          isRepair: _i,
          ts: _t,
          ...meta
        } = req;
        const rec = admission.approve(meta, role, scopes, "owner");
        if (!rec.tokens.some((t) => t.role === role)) admission.issueToken(rec, role);
        await resolvePending(state, req, "approved");
        return { requestId: req.requestId, device: publicDevice(rec) };
      },
    }),
    "device.pair.reject": method({
      params: RequestIdParamsSchema,
      handler: async ({ state, params }) => {
        const req = store.devices.pending.find((p) => p.requestId === params.requestId);
        if (!req) throw invalidRequest("unknown requestId");
        await resolvePending(state, req, "rejected");
        return { requestId: req.requestId, deviceId: req.deviceId, decision: "rejected" };
      },
    }),
    "device.pair.remove": method({
      params: DeviceIdParamsSchema,
      handler: async ({ state, session, params }) => {
        const rec = store.device(params.deviceId);
        if (!rec) throw invalidRequest("unknown deviceId");
        if (rec.roles.some((r) => r !== "operator") && !hasScope(session.scopes, Scopes.ADMIN)) {
          throw invalidRequest("device pairing removal denied");
        }
        store.devices.paired = store.devices.paired.filter((d) => d.deviceId !== params.deviceId);
        store.devices.pending = store.devices.pending.filter((d) => d.deviceId !== params.deviceId);
        await store.save();
        for (const s of state.deviceSessions(params.deviceId)) {
          if (s !== session) {
            s.close(4001, "client invalidated: device removed");
          }
        }
        return { deviceId: params.deviceId, removed: true };
      },
    }),
  };
}
