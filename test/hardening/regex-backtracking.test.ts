/**
 * Go's RE2 decides any pattern in time linear in the text; V8's backtracking RegExp does not.
 * Every pattern is matched by re2js (Go's regexp, ported), so hostile texts cannot stall a replay.
 */
import { describe, expect, it } from "vitest";
import { loadPolicyText } from "../../src/policy/load.js";
import { decide } from "../../src/engine/decide.js";
import { createCounterStore } from "../../src/engine/counters.js";
import { RE2JS } from "re2js";

describe("deciding hostile texts", () => {
  /** The decision on `text` under one rule `args.s regex pattern`, and how long it took. */
  const decideOn = (pattern: string, text: string): { decision: string; ms: number } => {
    const yaml = `version: "1"\ntools:\n  t:\n    rules:\n      - name: r\n        conditions:\n          - {path: args.s, op: regex, value: ${JSON.stringify(pattern)}}\n`;
    const loaded = loadPolicyText(yaml, "p.yaml");
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const started = performance.now();
    const d = decide(loaded.policy!, { tool: "t", args: { s: text }, session: "s1" }, createCounterStore(), 0);
    return { decision: d.decision, ms: performance.now() - started };
  };

  it.each(["^(a+)+$", "(a|a)*b", "(x+x+)+y", "a*b", "a*a*b", "[a-z]*[a-z]*=", "^([^.]|\\.[^.])*\\.?$"])(
    "%s over 100,000 characters is decided in well under a second, as RE2 decides it",
    (pattern) => {
      const text = "a".repeat(100_000) + "!";
      const { decision, ms } = decideOn(pattern, text);
      expect(ms).toBeLessThan(1_000);
      expect(decision).toBe(RE2JS.compile(pattern).test(text) ? "allow" : "deny");
    },
  );

  it("a long text is matched in full, as RE2 matches it", () => {
    expect(decideOn("^[a-z]+!$", "a".repeat(10_000) + "!").decision).toBe("allow");
    expect(decideOn("^[a-z]+!$", "a".repeat(10_000) + "!?").decision).toBe("deny");
  });
});
