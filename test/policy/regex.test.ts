import { describe, expect, it } from "vitest";
import { compileGoRegex, jsRegexDifference } from "../../src/policy/regex.js";

describe("Go RE2 patterns", () => {
  it("match unanchored, as Go's MatchString", () => {
    const r = compileGoRegex("b+");
    expect(r.ok && r.matcher.test("abbbc")).toBe(true);
  });

  it("inline flags work as in Go", () => {
    const r = compileGoRegex("(?i)^abc$");
    expect(r.ok && r.matcher.test("ABC")).toBe(true);
  });

  it("backreferences do not compile, with Go's message", () => {
    expect(compileGoRegex("(a)\\1")).toEqual({ ok: false, error: "error parsing regexp: invalid escape sequence: `\\1`" });
  });

  it.each([
    ["(?i)abc", /inline flags/],
    ["\\Aabc\\z", /\\A and \\z/],
    ["\\Qa.b\\E", /\\Q/],
    ["[[:alpha:]]+", /POSIX/],
    ["\\pN", /Unicode classes/],
    ["(?P<x>a)", /cannot compile/],
  ])("%s is reported as different in JavaScript", (pattern, why) => {
    expect(jsRegexDifference(pattern)).toMatch(why);
  });

  it.each(["^[a-z0-9_-]+$", "\\d{3}-\\d{4}", "^/tmp/.*\\.txt$", "a$"])("%s is the same in JavaScript", (pattern) => {
    expect(jsRegexDifference(pattern)).toBeNull();
  });
});
