/**
 * The service file lifecycle: install (secret file, unit file, enable + start), start, stop,
 * restart (after a caller-supplied config check), uninstall. Talks to the manager only
 * through {@linkcode ServiceManager}, and to the file system directly.
 *
 * Behaviour as OpenClaw `docs/cli/gateway/service.md`: install starts the service; `start` on
 * a missing service fails with the install hint; `stop` / `uninstall` of a missing service
 * succeed as no-ops. Differences: install without `--force` over a different unit refuses and
 * lists the differing lines; restart refuses when the config check fails.
 * @module
 */
import { dirname } from "node:path";
import { writeFileAtomic } from "../platform/atomic_write.ts";
import type { ServiceManager } from "./manager.ts";
import { readSecretFile, type ServiceSecret, writeSecretFile } from "./secret_file.ts";
import type { ServiceId } from "./spec.ts";
import { unitDiff } from "./unit_diff.ts";

/** What `install` writes. */
export interface InstallPlan {
  id: ServiceId;
  /** Unit or plist path. */
  path: string;
  /** Rendered unit or plist. */
  content: string;
  /** The secret the service reads from a 0600 file, if it needs one. */
  secret?: ServiceSecret;
}

/** Outcome of {@linkcode installService}. */
export type InstallOutcome =
  | { action: "installed" | "replaced"; path: string }
  | { action: "unchanged"; path: string }
  | { action: "differs"; path: string; diff: string[] };

/**
 * Installs (or with `force` replaces) the service and starts it.
 *
 * @returns `differs` (nothing written) when a different unit exists and `force` is false;
 *   `unchanged` when the same unit and secret exist (nothing written, service started).
 * @throws {ServiceManagerError} When the manager refuses.
 */
export async function installService(
  manager: ServiceManager,
  plan: InstallPlan,
  options: { force?: boolean } = {},
): Promise<InstallOutcome> {
  const existing = await readIfExists(plan.path);
  const oldSecret = plan.secret ? await readSecretFile(plan.secret.path) : undefined;
  if (existing !== undefined && !options.force) {
    const diff = unitDiff(existing, plan.content);
    if (plan.secret && oldSecret !== plan.secret.value) {
      diff.push(`~ the ${plan.secret.type} in ${plan.secret.path} differs`);
    }
    if (diff.length > 0) return { action: "differs", path: plan.path, diff };
    await manager.reload(plan.id);
    await manager.enableAndStart(plan.id, plan.path);
    return { action: "unchanged", path: plan.path };
  }
  if (plan.secret) await writeSecretFile(plan.secret);
  await writeFileAtomic(plan.path, plan.content, {
    mode: 0o644,
    dirMode: plan.id.scope === "system" ? 0o755 : 0o700,
  });
  await manager.reload(plan.id);
  if (existing !== undefined) {
    await manager.enableAndStart(plan.id, plan.path);
    await manager.restart(plan.id, plan.path);
    return { action: "replaced", path: plan.path };
  }
  await manager.enableAndStart(plan.id, plan.path);
  return { action: "installed", path: plan.path };
}

/**
 * Stops, disables and removes the service file and its secret file.
 *
 * @returns false when nothing was installed (a no-op).
 */
export async function uninstallService(
  manager: ServiceManager,
  id: ServiceId,
  path: string,
  secretPaths: string[],
): Promise<boolean> {
  const installed = (await readIfExists(path)) !== undefined;
  if (installed) await manager.disableAndStop(id);
  await removeIfExists(path);
  for (const p of secretPaths) await removeIfExists(p);
  if (installed) await manager.reload(id);
  return installed;
}

/** Reads a file, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  // Drop the per-service secret directory once it is empty; ignore when it is not.
  if (/\/service\/[^/]+$/.test(path)) await Deno.remove(dirname(path)).catch(() => {});
}
