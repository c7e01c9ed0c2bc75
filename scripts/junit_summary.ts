/**
 * Prints `N passed, N failed` from one or more `deno test --junit-path` XML files; exits 1
 * when a file is missing (a run that crashed before reporting must not look green).
 *
 * Usage: `deno run --allow-read scripts/junit_summary.ts a.xml [b.xml…]`
 * @module
 */
let passed = 0;
let failed = 0;
let missing = false;
for (const path of Deno.args) {
  let xml: string;
  try {
    xml = Deno.readTextFileSync(path);
  } catch {
    missing = true;
    failed++;
    continue;
  }
  for (const m of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[2] ?? "";
    if (/<skipped/.test(body)) continue;
    if (/<failure|<error/.test(body)) failed++;
    else passed++;
  }
}
// deno-lint-ignore no-console
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(missing ? 1 : 0);
