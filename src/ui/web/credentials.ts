/**
 * Where the page keeps the typed token or password: `sessionStorage` only (gone when the tab
 * closes), never the URL, a cookie or a log line.
 * @module
 */
/// <reference lib="dom" />
import type { Credentials } from "./gateway_socket.ts";

const KEY = "clawgate.controlUi.credentials";

/** The stored credentials of this tab, if any. */
export function loadCredentials(): Credentials | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
    return v && (v.kind === "token" || v.kind === "password") && typeof v.secret === "string"
      ? v
      : null;
  } catch {
    return null;
  }
}

/** Stores (or with `null`, forgets) this tab's credentials. */
export function saveCredentials(c: Credentials | null): void {
  if (c) sessionStorage.setItem(KEY, JSON.stringify(c));
  else sessionStorage.removeItem(KEY);
}
