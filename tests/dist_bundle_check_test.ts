import assert from "node:assert/strict";
import { externalImports } from "../scripts/dist_bundle_check.ts";

Deno.test("externalImports: real imports count, doc examples and strings do not", () => {
  const bundle = [
    'import { createRequire } from "node:module";',
    'import * as path from "node:path";',
    "/**",
    " * @example",
    " * ```ts",
    ' * import { browserLoginKey } from "./browser_login_limiter.ts";',
    ' * const m = await import("./lazy.ts");',
    " * ```",
    " */",
    '// import "./commented.ts";',
    'const msg = `cannot load ${name} from "${where}"`;',
    'const tls = await import("node:tls");',
    'try { require("bufferutil"); } catch {}',
    'const left = require("npm:zod@4");',
    'import "./side_effect.js";',
    'export { x } from "https://example.com/x.js";',
    'const again = require("npm:zod@4");',
  ].join("\n");
  assert.deepEqual(externalImports(bundle), [
    "npm:zod@4",
    "./side_effect.js",
    "https://example.com/x.js",
  ]);
  assert.deepEqual(externalImports('import { a } from "node:fs";\nrequire("node:os");\n'), []);
});
