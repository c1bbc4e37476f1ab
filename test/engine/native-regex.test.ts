import fc from "fast-check";
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import { nativeMatcher, translateRe2 } from "../../src/engine/native-regex.js";

function re2(pattern: string): ((s: string) => boolean) | undefined {
  try {
    const re = RE2JS.compile(pattern);
    return (s) => re.test(s);
  } catch {
    return undefined;
  }
}

const atom = fc.oneof(
  fc.constantFrom("a", "b", "Z", "0", "9", "_", "-", " ", "é", "\u{1F600}", "/", "#", "]", "}", ",", "\n", "\r", "\t"),
  fc.constantFrom(".", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B", "\\.", "\\-", "\\#", "\\/", "\\n", "\\A", "\\z", "^", "$"),
  fc.constantFrom("[a-c]", "[^a-c]", "[\\d_]", "[-a]", "[a-]", "[.#]", "[\\-x]", "[\\s]", "[é-ü]", "[\\.-z]", "[]a]", "[[:alpha:]]", "[^\\n]"),
  fc.constantFrom("\\pL", "\\x41", "(?i)", "{", "{2}", "{1,3}", "{,2}", "\\Q.\\E"),
);
const quant = fc.constantFrom("", "", "", "*", "+", "?", "*?", "{2}", "{0,2}");
const piece = fc.tuple(atom, quant).map(([a, q]) => a + q);
const seq = fc.array(piece, { minLength: 1, maxLength: 5 }).map((xs) => xs.join(""));
const pattern = fc.oneof(seq, fc.tuple(seq, seq).map(([a, b]) => `(${a})|${b}`), fc.tuple(seq, seq).map(([a, b]) => `(?P<n>${a})${b}`),
  fc.tuple(seq, seq).map(([a, b]) => `(?:${a}|${b})+`));
const text = fc.array(fc.constantFrom("a", "b", "c", "Z", "0", "9", "_", "-", " ", "é", "ü", "\u{1F600}", "/", "#", "]", "}", ",", "\n", "\r", "\t", ".", "x", "ſ", "\u212A", "\u00a0", "\v"), { maxLength: 10 }).map((xs) => xs.join(""));

describe("native regex", () => {
  it("matches exactly the strings RE2 matches, for every pattern it accepts", () => {
    fc.assert(fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 8 }), (p, texts) => {
      const slow = re2(p);
      const fast = nativeMatcher(p);
      if (slow === undefined || fast === undefined) return;
      for (const t of texts) expect([p, t, fast(t)]).toEqual([p, t, slow(t)]);
    }), { numRuns: 3000 });
  });
  it("takes common policy patterns", () => {
    for (const p of ["^/safe/", "^feat/", "\\.env$", "^[a-z0-9-]+$", "rm\\s+-rf", "^(main|master)$", "(?P<x>a+)b", "\\bDROP\\b"]) {
      expect(translateRe2(p), p).toBeDefined();
    }
  });
  it("leaves flags, Unicode classes and hex escapes to RE2", () => {
    for (const p of ["(?i)drop", "\\pL", "\\x41", "[[:alpha:]]", "\\Qa.b\\E", "a{,2}", "[]a]"]) {
      expect(translateRe2(p), p).toBeUndefined();
    }
  });
  it("an exact repeat of a group with choices stays with RE2: (a*){3} is a*a*a*, nested it is exponential", () => {
    for (const p of ["(a*){3}b", "((a*){10}){10}b", "(a|aa){100}b", "(?:a+b?){2}c"]) expect(nativeMatcher(p), p).toBeUndefined();
    for (const p of ["(ab){3}c", "^\\d{4}-\\d{2}$", "(x){2}y*"]) expect(nativeMatcher(p), p).toBeDefined();
  });
  it("the more quantifiers a pattern has, the shorter the texts it is matched natively on", () => {
    // a*a*b backtracks about length^3 steps on a's: 13 ms at 256 characters, 0.1 ms at 64.
    expect(nativeMatcher("^/safe/")!.maxText).toBe(256);
    expect(nativeMatcher("rm\\s+-rf")!.maxText).toBe(256);
    expect(nativeMatcher("a*a*b")!.maxText).toBe(64);
  });
  it("a dot does not match a newline, as in RE2", () => {
    expect(nativeMatcher("^a.b$")!("a\nb")).toBe(false);
    expect(nativeMatcher("^a.b$")!("a\rb")).toBe(true);
  });
  it("\\s is ASCII whitespace only, as in RE2", () => {
    expect(nativeMatcher("a\\sb")!("a\u00a0b")).toBe(false);
    expect(nativeMatcher("a\\sb")!("a\vb")).toBe(false);
  });
});
