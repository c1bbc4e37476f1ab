import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { loadPolicyText } from "../../src/policy/load.js";
import { stringify } from "yaml";

function onlyInputErrors(text: string): void {
  try {
    loadPolicyText(text, "fuzz.yaml", "intercept");
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
  }
}

const yamlish = fc.array(
  fc.oneof(
    fc.constantFrom("version: ", "tools:", "rules:", "- ", "name: ", "action: ", "rate_limit: ", "conditions:", "path: ", "op: ", "value: ", "state:", "counter: ", "window: ", "&a ", "*a", "<<: ", "{", "}", "[", "]", ",", ":", "\n", "  ", '"', "'", "#", "*", "lt", "args.x", "state.t.c", "5/minute", "1e9", "!!str ", "? "),
    fc.string({ maxLength: 6 }),
  ),
  { maxLength: 60 },
).map((parts) => parts.join(""));

const policyShaped = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom<unknown>("1", 1, 2.5, true, null, "deny", "evaluate", "args.a", "state.t._rate_minute", "5/minute", "lt", "regex", "(a", "*", "t"),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom("version", "default", "hide", "tools", "t", "*", "rules", "name", "action", "rate_limit", "conditions", "path", "op", "value", "state", "counter", "window", "increment", "increment_from", "on_deny", "reason", "max"), tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe("loading never throws anything but InputError", () => {
  it("on random YAML-ish text", () => {
    fc.assert(fc.property(yamlish, (text) => onlyInputErrors(text)), { numRuns: 400 });
  });

  it("on random policy-shaped values", () => {
    fc.assert(
      fc.property(policyShaped, (value) => {
        const text = stringify({ version: "1", tools: { t: { rules: [value] }, "*": value } });
        onlyInputErrors(text);
        const r = loadPolicyText(text, "fuzz.yaml");
        expect(r.policy === null).toBe(r.diagnostics.some((d) => d.severity === "error"));
      }),
      { numRuns: 300 },
    );
  });

  it("on random JSON values", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => onlyInputErrors(JSON.stringify(v))), { numRuns: 300 });
  });
});
