import { describe, expect, it } from "vitest";
import { evalOp } from "../../src/policy/ops.js";
import { MISSING, resolveArgPath } from "../../src/policy/path.js";
import { compileGoRegex } from "../../src/policy/regex.js";

describe("eq", () => {
  it('the string "1" equals the number 1', () => expect(evalOp("eq", "1", 1)).toBe(true));
  it("true equals \"true\"", () => expect(evalOp("eq", true, "true")).toBe(true));
  it('a policy value "1000000" is not eq to the number 1000000', () => {
    expect(evalOp("eq", 1000000, "1000000")).toBe(false);
  });
  it("the number 1000000 is eq to the text 1e+06", () => expect(evalOp("eq", 1000000, "1e+06")).toBe(true));
  it('a YAML integer 1000000 is eq to the string "1000000"', () => {
    expect(evalOp("eq", "1000000", 1000000n)).toBe(true);
  });
  it('a YAML float 1000000.0 is not eq to the string "1000000"', () => {
    expect(evalOp("eq", "1000000", 1000000)).toBe(false);
  });
  it("two numbers compare as numbers", () => {
    expect(evalOp("eq", 5, 5n)).toBe(true);
    expect(evalOp("eq", 5.0, 5)).toBe(true);
    expect(evalOp("eq", 0.1 + 0.2, 0.3)).toBe(false);
  });
  it("null equals the text <nil>", () => expect(evalOp("eq", null, "<nil>")).toBe(true));
  it("null equals a null operand", () => expect(evalOp("eq", null, null)).toBe(true));
  it("a list equals its %v text", () => expect(evalOp("eq", ["a", "b"], "[a b]")).toBe(true));
  it("a map equals its %v text with sorted keys", () => expect(evalOp("eq", { b: 2, a: 1 }, "map[a:1 b:2]")).toBe(true));
  it("a list operand equals an equal list", () => expect(evalOp("eq", [1, "x"], [1n, "x"])).toBe(true));
  it("eq on a missing argument is false", () => expect(evalOp("eq", MISSING, "x")).toBe(false));
  it("a uint64-sized YAML integer is not a number to Go", () => {
    expect(evalOp("eq", 2 ** 64 - 1, 18446744073709551615n)).toBe(false);
    expect(evalOp("eq", "18446744073709551615", 18446744073709551615n)).toBe(true);
  });
});

describe("neq", () => {
  it("neq passes on null", () => expect(evalOp("neq", null, "x")).toBe(true));
  it("neq on a missing argument denies", () => expect(evalOp("neq", MISSING, "x")).toBe(false));
  it("neq is false for an equal value", () => expect(evalOp("neq", "1", 1)).toBe(false));
});

describe("in and not_in", () => {
  it("in matches any element by eq", () => expect(evalOp("in", "2", [1n, 2n])).toBe(true));
  it("in is false when no element matches", () => expect(evalOp("in", "usd", ["eur", "gbp"])).toBe(false));
  it("in is false when the operand is not a list", () => expect(evalOp("in", "a", "a")).toBe(false));
  it("not_in on a missing argument denies", () => expect(evalOp("not_in", MISSING, ["admin"])).toBe(false));
  it("not_in passes on null", () => expect(evalOp("not_in", null, ["admin"])).toBe(true));
  it("not_in is the negation of in", () => {
    expect(evalOp("not_in", "admin", ["admin"])).toBe(false);
    expect(evalOp("not_in", "user", ["admin"])).toBe(true);
  });
});

describe("lt lte gt gte", () => {
  it("compare two numbers", () => {
    expect(evalOp("lt", 9, 10n)).toBe(true);
    expect(evalOp("lt", 10, 10n)).toBe(false);
    expect(evalOp("lte", 10, 10n)).toBe(true);
    expect(evalOp("gt", 10.5, 10)).toBe(true);
    expect(evalOp("gte", 10, 10.0)).toBe(true);
  });
  it("a numeric string is not a number", () => {
    expect(evalOp("lt", "5", 10n)).toBe(false);
    expect(evalOp("gt", "50", 10n)).toBe(false);
  });
  it("a non-numeric operand is false", () => expect(evalOp("lt", 5, "10")).toBe(false));
  it("null and bools are not numbers", () => {
    expect(evalOp("lte", null, 10n)).toBe(false);
    expect(evalOp("lte", true, 10n)).toBe(false);
  });
  it("lt on a missing argument is false", () => expect(evalOp("lt", MISSING, 10n)).toBe(false));
});

describe("regex", () => {
  /** A Go RE2 pattern compiled as the loader compiles it. */
  const compiled = (source: string) => {
    const c = compileGoRegex(source);
    if (!c.ok) throw new Error(`${source}: ${c.error}`);
    return c.matcher;
  };
  it("matches unanchored RE2 search on strings", () => {
    expect(evalOp("regex", "abbbc", "b+", compiled("b+"))).toBe(true);
    expect(evalOp("regex", "feat/x", "^feat/", compiled("^feat/"))).toBe(true);
    expect(evalOp("regex", "fix/feat/x", "^feat/", compiled("^feat/"))).toBe(false);
  });
  it("inline flags work", () => {
    expect(evalOp("regex", "DROP table", "(?i)drop", compiled("(?i)drop"))).toBe(true);
  });
  it("is false on non-strings", () => {
    const d = compiled("1");
    expect(evalOp("regex", 1, "1", d)).toBe(false);
    expect(evalOp("regex", ["1"], "1", d)).toBe(false);
  });
  it("a pattern that does not compile (a backreference) is false", () => {
    expect(compileGoRegex("(a)\\1").ok).toBe(false);
    expect(evalOp("regex", "aa", "(a)\\1", undefined)).toBe(false);
  });
});

describe("contains", () => {
  it("is substring on strings", () => {
    expect(evalOp("contains", "hello world", "lo w")).toBe(true);
    expect(evalOp("contains", "hello", "xyz")).toBe(false);
  });
  it("is false when the value is a string and the operand is not", () => {
    expect(evalOp("contains", "a1", 1n)).toBe(false);
  });
  it("is element eq on lists", () => {
    expect(evalOp("contains", ["a", 1], 1n)).toBe(true);
    expect(evalOp("contains", ["a", "1"], 1n)).toBe(true);
    expect(evalOp("contains", ["a"], "b")).toBe(false);
  });
  it("is false on other values", () => {
    expect(evalOp("contains", { a: 1 }, "a")).toBe(false);
    expect(evalOp("contains", 12, 1n)).toBe(false);
  });
});

describe("exists", () => {
  it("is true for a present non-null value", () => expect(evalOp("exists", "", true)).toBe(true));
  it("a null value does not exist", () => expect(evalOp("exists", null, true)).toBe(false));
  it("exists: false passes on a missing path", () => expect(evalOp("exists", MISSING, false)).toBe(true));
  it("exists: false passes on null", () => expect(evalOp("exists", null, false)).toBe(true));
  it("a non-bool operand is false", () => expect(evalOp("exists", "x", "true")).toBe(false));
});

describe("argument paths", () => {
  const args = { a: { b: { c: 3 } }, list: [{ x: 1 }], n: null, s: "str" };
  it("walk nested objects by dots", () => expect(resolveArgPath(args, "a.b.c")).toBe(3));
  it("a missing key is missing", () => expect(resolveArgPath(args, "a.x")).toBe(MISSING));
  it("a present null is a value", () => expect(resolveArgPath(args, "n")).toBe(null));
  it("walking through null is missing", () => expect(resolveArgPath(args, "n.x")).toBe(MISSING));
  it("there is no array indexing", () => expect(resolveArgPath(args, "list.0")).toBe(MISSING));
  it("walking into a string is missing", () => expect(resolveArgPath(args, "s.length")).toBe(MISSING));
  it("inherited members are not arguments", () => {
    expect(resolveArgPath(args, "constructor")).toBe(MISSING);
    expect(resolveArgPath({}, "__proto__")).toBe(MISSING);
  });
  it("an own __proto__ key from JSON is an argument", () => {
    expect(resolveArgPath(JSON.parse('{"__proto__": 5}'), "__proto__")).toBe(5);
  });
});
