import assert from "node:assert/strict";
import { createLogger } from "./log.ts";

function capture(json: boolean) {
  const lines: string[] = [];
  const logger = createLogger({ scope: "t", json, write: (l) => lines.push(l), level: "debug" });
  return { logger, lines };
}

for (const json of [false, true]) {
  Deno.test(`createLogger(json=${json}) masks registered secrets and secret-named fields`, () => {
    const { logger, lines } = capture(json);
    logger.addSecret("s3cr3t-token-value");
    logger.info("connecting with s3cr3t-token-value", {
      token: "another-secret",
      devicePassword: "pw-value",
      url: "ws://127.0.0.1:1",
    });
    const line = lines.join("\n");
    assert.doesNotMatch(line, /s3cr3t-token-value|another-secret|pw-value/);
    assert.match(line, /ws:\/\/127\.0\.0\.1:1/);
    if (json) assert.equal(JSON.parse(lines[0]).token, "***");
  });
}

Deno.test("createLogger() drops lines above its level", () => {
  const lines: string[] = [];
  const logger = createLogger({ level: "warn", write: (l) => lines.push(l) });
  logger.info("no");
  logger.debug("no");
  logger.warn("yes");
  logger.error("yes");
  assert.equal(lines.length, 2);
});
