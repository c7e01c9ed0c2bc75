/**
 * Control UI page weight and time to interactive, measured in Debian's Chromium: starts a
 * `clawgate gateway run`, loads `http://127.0.0.1:PORT/` in a fresh headless browser N times and
 * prints, per run and as medians:
 * - bytes on the wire (navigation + resources `transferSize`, headers included) and the decoded
 *   body sizes;
 * - time to interactive: navigation start → the app's first render is done and the login field
 *   takes input (the `clawgate-ui-interactive` mark that `src/ui/web/main.ts` sets);
 * - login → connected: token typed and submitted → the `hello-ok` is shown.
 *
 * Usage: `deno run -A bench/control_ui_load.ts [runs=5]`
 * @module
 */
// deno-lint-ignore-file no-console
import { launchChromium } from "../tests/helpers/browser.ts";
import { startGatewayProcess } from "../tests/helpers/cli.ts";

const runs = Number(Deno.args[0] ?? 5);
const gw = await startGatewayProcess();
const browser = await launchChromium();
const rows: Array<{ wire: number; body: number; ttiMs: number; connectMs: number }> = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${gw.port}/`);
    await page.waitForSelector("#login-secret:focus", { timeout: 20_000 });
    const m = await page.evaluate(() => {
      // Browser-side types (Deno's lib has no DOM timing types): navigation + resource entries.
      type Timing = { transferSize: number; decodedBodySize: number };
      const all = [
        ...performance.getEntriesByType("navigation"),
        ...performance.getEntriesByType("resource"),
      ] as unknown as Timing[];
      return {
        wire: all.reduce((n, e) => n + e.transferSize, 0),
        body: all.reduce((n, e) => n + e.decodedBodySize, 0),
        ttiMs: performance.getEntriesByName("clawgate-ui-interactive")[0]?.startTime ?? NaN,
      };
    });
    const t0 = performance.now();
    await page.fill("#login-secret", gw.token);
    await page.click("#login-submit");
    await page.waitForSelector("#conn-state[data-phase=open]", { timeout: 20_000 });
    const connectMs = performance.now() - t0;
    rows.push({ ...m, connectMs });
    console.log(
      `run ${i + 1}: ${m.wire} B on the wire (${m.body} B decoded), ` +
        `interactive ${m.ttiMs.toFixed(0)} ms, login→connected ${connectMs.toFixed(0)} ms`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await gw.stop();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `median of ${runs}: ${median(rows.map((r) => r.wire))} B on the wire, ` +
    `${median(rows.map((r) => r.body))} B decoded, interactive ` +
    `${median(rows.map((r) => r.ttiMs)).toFixed(0)} ms, login→connected ` +
    `${median(rows.map((r) => r.connectMs)).toFixed(0)} ms`,
);
