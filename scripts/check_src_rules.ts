/**
 * Layout guard (style.md): no `Deno.exit` under src/, no `console.*` under src/ outside
 * src/platform/log.ts, no raw WebSocket/upgrade outside src/transport/ (and the browser Control
 * UI's own socket, src/ui/web/gateway_socket.ts and its bundle, which run in the browser), files
 * ≤ 400 lines.
 *
 * Usage: `deno run --allow-read scripts/check_src_rules.ts`
 * @module
 */
const problems: string[] = [];
/** Browser code: the Control UI's socket and the bundle built from it. */
const BROWSER_FILES = ["src/ui/web/gateway_socket.ts", "src/ui/assets.generated.ts"];
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...walk(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}
for (const file of walk("src")) {
  const text = Deno.readTextFileSync(file);
  const isTest = file.endsWith("_test.ts");
  if (/\bDeno\.exit\s*\(/.test(text)) problems.push(`${file}: Deno.exit outside main.ts`);
  if (
    !isTest && file !== "src/platform/log.ts" &&
    /\bconsole\.(log|error|warn|info|debug)\(/.test(text)
  ) {
    problems.push(`${file}: console.* outside src/platform/log.ts`);
  }
  if (
    !isTest && !file.startsWith("src/transport/") && !BROWSER_FILES.includes(file) &&
    /new WebSocket\(|Deno\.upgradeWebSocket/.test(text)
  ) {
    problems.push(`${file}: raw WebSocket outside src/transport/`);
  }
  const lines = text.split("\n").length;
  if (!isTest && lines > 400) problems.push(`${file}: ${lines} lines (split by concept)`);
}
// deno-lint-ignore no-console
for (const p of problems) console.error(p);
if (problems.length) Deno.exit(1);
