/** Flags are read once into typed values; a value of the wrong type is mcptape's bug, never passed on. */
import { describe, expect, it } from "vitest";
import { FlagValues } from "../../src/cli/flags.js";

describe("FlagValues", () => {
  it("reads each kind of value commander makes", () => {
    const v = new FlagValues({ policy: "p.yaml", forbid: ["a", "b"], strict: true, claims: true, dialect: "cedar" });
    expect(v.string("policy")).toBe("p.yaml");
    expect(v.strings("forbid")).toEqual(["a", "b"]);
    expect(v.strings("absent")).toEqual([]);
    expect(v.bool("strict")).toBe(true);
    expect(v.bool("absent")).toBe(false);
    expect(v.stringOrTrue("claims")).toBe(true);
    expect(v.choice("dialect", ["intercept", "cedar"] as const)).toBe("cedar");
  });

  it.each([
    ["string", (v: FlagValues) => v.string("x"), { x: 3 }],
    ["strings", (v: FlagValues) => v.strings("x"), { x: "one" }],
    ["bool", (v: FlagValues) => v.bool("x"), { x: "yes" }],
    ["choice", (v: FlagValues) => v.choice("x", ["a", "b"] as const), { x: "c" }],
  ])("%s: a value its definition could not make is an internal error, not a guess", (_kind, read, opts) => {
    expect(() => read(new FlagValues(opts))).toThrow(/its definition and its reader disagree/);
  });
});
