/**
 * Operator scopes and the scope each method needs.
 *
 * Source: `src/gateway/method-scopes.ts`, `src/gateway/server-methods.ts` and
 * `src/gateway/methods/core-descriptors.ts` (openclaw@2026.9.6), protocol.md §5.1.
 * @module
 */

/** Operator scopes. `admin` implies every scope; `write` implies `read`. */
export const Scopes = {
  READ: "operator.read",
  WRITE: "operator.write",
  ADMIN: "operator.admin",
  APPROVALS: "operator.approvals",
  PAIRING: "operator.pairing",
} as const;

/** Methods only a `node` role may call. */
export const NODE_ONLY_METHODS: ReadonlySet<string> = new Set([
  "node.invoke.result",
  "node.invoke.progress",
  "node.event",
  "node.pluginTools.update",
  "node.skills.update",
  "node.runnerInventory.update",
  "node.pending.pull",
  "node.pending.ack",
  "node.pending.drain",
  "node.pluginSurface.refresh",
  "skills.bins",
]);

/** The scope an operator method requires; `null` = none (`health`). Unlisted → admin. */
export function requiredScope(method: string): string | null {
  if (method === "health") return null;
  switch (method) {
    case "status":
    case "channels.status":
    case "diagnostics.stability":
    case "system-presence":
    case "node.list":
    case "node.describe":
    case "last-heartbeat":
    case "config.get":
    case "models.list":
    case "sessions.list":
      return Scopes.READ;
    case "send":
    case "chat.send":
    case "agent":
    case "agent.wait":
    case "wake":
    case "node.invoke":
    case "node.rename":
      return Scopes.WRITE;
  }
  if (/^(node\.pair|device\.pair|device\.token)\./.test(method)) return Scopes.PAIRING;
  return Scopes.ADMIN;
}

/**
 * Whether a granted scope list satisfies a required scope: `admin` implies everything and
 * `write` implies `read`.
 */
export function hasScope(granted: readonly string[], required: string): boolean {
  if (granted.includes(Scopes.ADMIN)) return true;
  if (granted.includes(required)) return true;
  return required === Scopes.READ && granted.includes(Scopes.WRITE);
}

/** Node commands whose surface approval needs `operator.admin` (`src/infra/node-pairing-authz.ts`). */
export function isAdminApproveCommand(command: string): boolean {
  return command === "system.run" || command === "system.run.prepare" ||
    command === "system.which" || command === "fs.listDir" ||
    command.startsWith("browser.proxy") || command.startsWith("system.execApprovals.");
}

/**
 * Scopes an operator needs to approve a node command surface: `operator.pairing`, plus
 * `operator.admin` when a system/browser/fs surface is declared, else `operator.write` when
 * any command is declared.
 */
export function nodePairApproveScopes(commands: readonly string[]): string[] {
  if (commands.some(isAdminApproveCommand)) return [Scopes.PAIRING, Scopes.ADMIN];
  if (commands.length > 0) return [Scopes.PAIRING, Scopes.WRITE];
  return [Scopes.PAIRING];
}

/** Node commands the gateway never forwards (`src/gateway/node-invoke-sanitize.ts`). */
export function isBlockedNodeCommand(command: string): boolean {
  return command.startsWith("system.execApprovals.") || command.startsWith("worker.");
}
