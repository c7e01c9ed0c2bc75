import assert from "node:assert/strict";
import { checkJsonBudget, type JsonBudget } from "./json_budget.ts";

const small: JsonBudget = { maxDepth: 3, maxContainers: 4, maxValues: 8, maxEscapes: 3 };

Deno.test("checkJsonBudget() counts only outside strings, escapes included", () => {
  assert.equal(checkJsonBudget('["[[[[{{{{", "\\"[[[[", "\\\\"]', small), undefined);
  assert.equal(checkJsonBudget('{"a":{"b":[1]}}', small), undefined);
});

Deno.test("checkJsonBudget() reports the first exceeded limit", () => {
  assert.equal(checkJsonBudget("[[[[]]]]", small), "nesting deeper than 3");
  assert.equal(checkJsonBudget("[[],[],[],[]]", small), "more than 4 objects and arrays");
  assert.equal(checkJsonBudget("[1,2,3,4,5,6,7,8,9]", small), "more than 8 values");
  assert.equal(checkJsonBudget('["\\n\\n", "\\t\\""]', small), "more than 3 escapes");
});

Deno.test("checkJsonBudget() leaves malformed text to JSON.parse", () => {
  assert.equal(checkJsonBudget('["unterminated', small), undefined);
  assert.equal(checkJsonBudget("]]]]", small), undefined);
});
