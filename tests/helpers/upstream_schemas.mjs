// deno-lint-ignore-file no-console -- a command-line script: usage and load errors go to stderr
// upstream_schemas.mjs -- validate JSON values against the protocol schemas the installed
// openclaw package publishes (dist/gateway/protocol/index.js), with the same TypeBox compiler
// upstream's own validators use (`typebox/compile`, see protocol-validator.ts upstream).
//
// Run with the interop Node 24:  node upstream_schemas.mjs <npm-prefix>  < checks.jsonl
// stdin:  one JSON object per line: {"id": any, "schema": NAME, "value": any}
//         NAME is an exported AJV-style validator ("validateConnectParams"), an exported schema
//         ("HelloOkSchema"), or an exported schema plus a JSON pointer into it
//         ("SnapshotSchema#/properties/health").
// stdout: one line per input: {"id", "ok": true} | {"id", "ok": false, "errors": [..]} |
//         {"id", "missing": true} when the package exports no such schema.
// Exit 0 unless the package itself cannot be loaded (then 2, message on stderr).
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const prefix = process.argv[2];
if (!prefix) {
  console.error("usage: upstream_schemas.mjs <npm-prefix containing node_modules/openclaw>");
  process.exit(2);
}
const modules = `${prefix}/node_modules`;
let protocol, Compile;
try {
  protocol = await import(
    pathToFileURL(`${modules}/openclaw/dist/gateway/protocol/index.js`).href
  );
  // Resolve typebox the way openclaw itself does (hoisted or nested, through its exports map).
  const require = createRequire(`${modules}/openclaw/package.json`);
  ({ Compile } = await import(pathToFileURL(require.resolve("typebox/compile")).href));
} catch (err) {
  console.error(`cannot load the openclaw protocol package under ${modules}: ${err.message}`);
  process.exit(2);
}

const compiled = new Map();
function validatorFor(name) {
  if (compiled.has(name)) return compiled.get(name);
  let check = null;
  const [exportName, pointer] = name.split("#");
  const exported = protocol[exportName];
  if (typeof exported === "function" && exportName.startsWith("validate")) {
    check = (value) => exported(value) ? [] : describe(exported.errors);
  } else if (exported && typeof exported === "object") {
    let schema = exported;
    for (const part of (pointer ?? "").split("/").filter(Boolean)) schema = schema?.[part];
    if (schema && typeof schema === "object") {
      const c = Compile(schema);
      check = (value) => c.Check(value) ? [] : describe([...c.Errors(value)]);
    }
  }
  compiled.set(name, check);
  return check;
}

function describe(errors) {
  return (errors ?? []).slice(0, 5).map((e) => {
    const path = e.instancePath ?? e.path ?? "";
    const extra = e.params?.additionalProperty ?? e.params?.additionalProperties;
    return `${path || "/"} ${e.message ?? JSON.stringify(e)}${extra ? ` (${extra})` : ""}`;
  });
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  const { id, schema, value } = JSON.parse(line);
  const check = validatorFor(schema);
  if (!check) {
    process.stdout.write(JSON.stringify({ id, missing: true }) + "\n");
    continue;
  }
  const errors = check(value);
  process.stdout.write(
    JSON.stringify(errors.length ? { id, ok: false, errors } : { id, ok: true }) + "\n",
  );
}
