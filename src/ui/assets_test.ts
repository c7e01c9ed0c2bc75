import assert from "node:assert/strict";

Deno.test("assets.generated.ts is up to date with src/ui/web/ (else: deno task ui:build)", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/build_ui.ts", "--check"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
});
