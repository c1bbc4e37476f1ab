/**
 * Go's RE2 decides any pattern in time linear in the text; V8's backtracking RegExp does not.
 * The engine's native fast path must therefore never see a pattern or a text it could stall on.
 */
import { describe, expect, it } from "vitest";
import { backtrackBounded, NATIVE_MAX_TEXT } from "../../src/engine/backtrack-bound.js";
import { nativeMatcher, translateRe2 } from "../../src/engine/native-regex.js";
import { loadPolicyText } from "../../src/policy/load.js";
import { decide } from "../../src/engine/decide.js";
import { CounterStore } from "../../src/engine/counters.js";
import { RE2JS } from "re2js";

const bounded = (re2: string): boolean => backtrackBounded(translateRe2(re2)!);

describe("which patterns may run on V8's RegExp", () => {
  it("a quantified group holding a quantifier or an alternation stays with RE2", () => {
    for (const p of ["^(a+)+$", "(a|a)*b", "(x+x+)+y", "((ab)*c)+", "(?:a|b)+$", "(a?){3,}"]) expect(bounded(p), p).toBe(false);
    for (const p of ["^(a+)+$", "(x+x+)+y"]) expect(nativeMatcher(p), p).toBeUndefined();
  });

  it("more than two quantifiers stay with RE2", () => {
    expect(bounded("a*a*a*b")).toBe(false);
    expect(bounded("a*a*b")).toBe(true);
  });

  it("ordinary policy patterns keep the fast path", () => {
    for (const p of ["^[a-z0-9_-]+$", "\\.\\.", "^/tmp/.*", "(ab){3}c+", "a{2,5}b", "(?:foo|bar)baz", "a+?b", "\\(a+\\)+"]) expect(bounded(p), p).toBe(true);
  });
});

describe("deciding hostile texts", () => {
  /** The decision on `text` under one rule `args.s regex pattern`, and how long it took. */
  const decideOn = (pattern: string, text: string): { decision: string; ms: number } => {
    const yaml = `version: "1"\ntools:\n  t:\n    rules:\n      - name: r\n        conditions:\n          - {path: args.s, op: regex, value: ${JSON.stringify(pattern)}}\n`;
    const loaded = loadPolicyText(yaml, "p.yaml");
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const started = performance.now();
    const d = decide(loaded.policy!, { tool: "t", args: { s: text }, session: "s1" }, new CounterStore(), 0);
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

  it("texts past the native limit give the same answers as short ones", () => {
    expect(decideOn("^[a-z]+!$", "a".repeat(NATIVE_MAX_TEXT) + "!").decision).toBe("allow");
    expect(decideOn("^[a-z]+!$", "a".repeat(NATIVE_MAX_TEXT * 4) + "!").decision).toBe("allow");
    expect(decideOn("^[a-z]+!$", "a".repeat(NATIVE_MAX_TEXT * 4) + "!?").decision).toBe("deny");
  });
});
