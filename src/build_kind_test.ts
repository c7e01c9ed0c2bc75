import assert from "node:assert/strict";
import { BUILD_KIND_GLOBAL, buildKind, versionLine } from "./build_kind.ts";
import { VERSION } from "./version.ts";

Deno.test("versionLine: source run, then the kind a bundle entry marks", () => {
  assert.equal(versionLine(), `clawgate ${VERSION} (deno ${Deno.version.deno}, source)`);
  const g = globalThis as Record<string, unknown>;
  g[BUILD_KIND_GLOBAL] = "single-file self-extracting";
  try {
    assert.equal(buildKind(), "single-file self-extracting");
    assert.match(versionLine(), /, single-file self-extracting\)$/);
  } finally {
    delete g[BUILD_KIND_GLOBAL];
  }
});
