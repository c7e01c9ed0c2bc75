/**
 * The nodes-and-devices gateway extension: opens the pairing store in the state dir and wires
 * device admission, the node registry, invoke routing and their methods into the gateway.
 * @module
 */
import { StoreDeviceAdmission } from "../devices/admission.ts";
import { deviceMethods } from "../devices/methods.ts";
import { PairingStore } from "../devices/store.ts";
import type { GatewayExtension } from "../server.ts";
import type { GatewayState } from "../state.ts";
import { NodeInvoker } from "./invoke.ts";
import { nodeMethods } from "./methods.ts";
import { NodeRegistry } from "./registry.ts";

/**
 * Builds the extension for a gateway.
 *
 * @throws {SyntaxError} A pairing file in `<stateDir>/pairing/` is corrupt.
 */
export async function createNodesExtension(state: GatewayState): Promise<GatewayExtension> {
  const store = await PairingStore.open(state.loaded.stateDir);
  const nodes = new NodeRegistry(store);
  const invoker = new NodeInvoker(nodes);
  const devices = new StoreDeviceAdmission(store, nodes);
  state.onSessionClosed.push((s) => invoker.onSessionClosed(s));
  state.onSessionClosed.push((s) => {
    if (s.role !== "node") return;
    const rec = store.pairedNode(s.nodeId);
    if (!rec) return;
    rec.lastSeenAtMs = Date.now();
    store.saveSoon();
  });
  return {
    methods: { ...nodeMethods(nodes, invoker), ...deviceMethods(devices) },
    devices,
    stop: () => store.flush(),
  };
}
