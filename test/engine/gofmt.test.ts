import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatFloat, formatGo, goQuote } from "../../src/policy/gofmt.js";

describe("Go %v of a float64", () => {
  const cases: [number, string][] = [
    [100000, "100000"],
    [1000000, "1e+06"],
    [1234567, "1.234567e+06"],
    [0.00001, "1e-05"],
    [0.0001, "0.0001"],
    [123456789, "1.23456789e+08"],
    [0.5, "0.5"],
    [-0, "-0"],
    [0, "0"],
    [1, "1"],
    [-2.5, "-2.5"],
    [999999, "999999"],
    [123456.5, "123456.5"],
    [1e21, "1e+21"],
    [1e100, "1e+100"],
    [-1.5e-7, "-1.5e-07"],
    [5e-324, "5e-324"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
    [NaN, "NaN"],
  ];
  for (const [n, text] of cases) {
    it(`${String(n)} prints ${text}`, () => expect(formatFloat(n)).toBe(text));
  }
});

describe("Go %v of decoded values", () => {
  it("a YAML integer prints as a plain decimal, never an exponent", () => {
    expect(formatGo(1000000n)).toBe("1000000");
    expect(formatGo(-42n)).toBe("-42");
  });
  it("a YAML integer beyond uint64 is a float64", () => {
    expect(formatGo(10n ** 30n)).toBe("1e+30");
  });
  it("null prints <nil>", () => expect(formatGo(null)).toBe("<nil>"));
  it("bools print true and false", () => {
    expect(formatGo(true)).toBe("true");
    expect(formatGo(false)).toBe("false");
  });
  it("a list prints [a b]", () => expect(formatGo(["a", "b"])).toBe("[a b]"));
  it("a map prints map[k:v] with sorted keys", () => {
    expect(formatGo({ z: 1, a: "x" })).toBe("map[a:x z:1]");
  });
  it("nested values print nested", () => {
    expect(formatGo({ b: [1, null, { c: true }], a: [] })).toBe("map[a:[] b:[1 <nil> map[c:true]]]");
  });
  it("map keys sort by code point like Go's byte order", () => {
    expect(formatGo({ "\u{1F600}": 1, "\uFF01": 2 })).toBe("map[\uFF01:2 \u{1F600}:1]");
  });
});

describe("Go %q", () => {
  it("quotes and escapes like strconv.Quote", () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote("tab\there\n")).toBe('"tab\\there\\n"');
    expect(goQuote("\u0001")).toBe('"\\x01"');
    expect(goQuote("\u00a0")).toBe('"\\u00a0"');
    expect(goQuote("héllo 世界")).toBe('"héllo 世界"');
  });
});

describe("Go %v of a float64, for all doubles", () => {
  it("reads back as the same number", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      expect(Object.is(Number(formatFloat(x)), x)).toBe(true);
    }), { numRuns: 5000 });
  });
  it("uses the exponent form exactly when the exponent is below -4 or at least 6", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => x !== 0), (x) => {
      const exp = Number(x.toExponential().split("e")[1]); // decimal exponent of the shortest digits
      const text = formatFloat(x);
      expect(text.includes("e")).toBe(exp < -4 || exp >= 6);
      if (text.includes("e")) expect(text).toMatch(/^-?\d(\.\d+)?e[+-]\d{2,3}$/);
    }), { numRuns: 5000 });
  });
});
