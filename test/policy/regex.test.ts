import fc from "fast-check";
import { RE2JS } from "re2js";
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

  // A plain-text pattern is matched without re2js (src/policy/regex.ts): it must answer as
  // re2js, Go's regexp ported, does for every pattern and text, metacharacters included.
  it("plain-text patterns match exactly as re2js does", () => {
    const piece = fc.constantFrom("a", "b", "/", "-", " ", "é", "\\.", "\\$", "\\^", "\\_", "\\w", ".", "*", "$", "^", "[a]", "\\");
    const pattern = fc.array(piece, { maxLength: 6 }).map((ps) => ps.join(""));
    const text = fc.array(fc.constantFrom("a", "b", "/", "-", " ", "é", ".", "$", "^", "_", "\\", "\n", "😀"), { maxLength: 8 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        let re2: boolean | string;
        try {
          re2 = RE2JS.compile(p).test(t);
        } catch {
          re2 = "does not compile";
        }
        const ours = compileGoRegex(p);
        expect(ours.ok ? ours.matcher.test(t) : "does not compile").toBe(re2);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["^/srv/", "/srv/a", "/tmp/srv/"],
    ["\\.env$", "app/.env", "app/.envrc"],
    ["^done$", "done", "done\n"],
    ["rm -rf", "sudo rm -rf /", "rm -r"],
  ])("plain text %s matches as Go: %s, not %s", (pattern, yes, no) => {
    const r = compileGoRegex(pattern);
    expect(r.ok && r.matcher.test(yes)).toBe(true);
    expect(r.ok && r.matcher.test(no)).toBe(false);
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
