/**
 * Debian's Chromium driven by npm `playwright-core` (pinned; no browser download) for the
 * Control UI tests. Without `/usr/bin/chromium` the tests are skipped with a warning locally and
 * fail under CI (`.ci/run` installs it).
 * @module
 */
import { type Browser, chromium, type Page } from "playwright-core";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = Deno.env.get("CLAWGATE_CHROMIUM") ?? "/usr/bin/chromium";

/** Where the test run saves screenshots (not committed). */
export const SCREENSHOT_DIR = new URL("../../.cache/control-ui/", import.meta.url).pathname;

/**
 * Whether the browser tests can run. Prints a loud warning when they cannot; under CI a
 * missing browser is an error, not a skip.
 *
 * @throws {Error} `CI` is set and Chromium is missing.
 */
export function chromiumAvailable(): boolean {
  try {
    Deno.statSync(CHROMIUM);
    return true;
  } catch {
    const msg = `Chromium not found at ${CHROMIUM}: Control UI browser tests SKIPPED ` +
      "(install it with `apt-get install -y chromium`, as .ci/run does)";
    if (Deno.env.get("CI")) throw new Error(msg);
    // deno-lint-ignore no-console
    console.error(`\n!!! ${msg}\n`);
    return false;
  }
}

/**
 * Launches headless Chromium with a fresh profile (playwright makes a new user-data-dir per
 * launch and removes it on close).
 */
export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: 30_000,
  });
}

/**
 * Opens a page that records console errors and uncaught exceptions (a CSP violation shows up
 * there). Chromium's own `ERR_CONNECTION_REFUSED` lines while a gateway is down are not errors.
 */
export async function openPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/ERR_CONNECTION_REFUSED/.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return { page, problems };
}

/** Saves a full-page screenshot as `.cache/control-ui/NAME.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

/** Types a secret into the Control UI login form and submits it. */
export async function uiLogin(page: Page, secret: string): Promise<void> {
  await page.fill("#login-secret", secret);
  await page.click("#login-submit");
}
