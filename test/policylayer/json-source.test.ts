import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseJsonSource } from "../../src/policy/dialects/json-source.js";
import { toPlain, type YNode } from "../../src/yaml-source.js";

function parse(text: string): YNode | null {
  return parseJsonSource(text, "p.json").root;
}

function errorOf(text: string): string {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof InputError) return `${err.line}:${err.col} ${err.message}`;
    throw err;
  }
  throw new Error("expected an InputError");
}

describe("JSON with positions", () => {
  it("every value knows its line and column", () => {
    const root = parse('{\n  "a": [1, "x"],\n  "b": {"c": null}\n}');
    expect(root).toMatchObject({ kind: "map", at: { line: 1, col: 1 } });
    if (root?.kind !== "map") throw new Error("not a map");
    const [a, b] = root.entries;
    expect(a!.key.at).toEqual({ line: 2, col: 3 });
    expect(a!.value).toMatchObject({ kind: "seq", at: { line: 2, col: 8 } });
    if (a!.value.kind !== "seq") throw new Error("not a list");
    expect(a!.value.items.map((i) => i.at)).toEqual([{ line: 2, col: 9 }, { line: 2, col: 12 }]);
    if (b!.value.kind !== "map") throw new Error("not a map");
    expect(b!.value.entries[0]!.value).toMatchObject({ value: null, at: { line: 3, col: 14 } });
  });

  it("numbers are float64 and keep their text", () => {
    const root = parse('[30, 1e6, -0.5, 12345678901234567890]');
    if (root?.kind !== "seq") throw new Error("not a list");
    expect(root.items.map((n) => (n.kind === "scalar" ? [n.value, n.text] : null))).toEqual([
      [30, "30"], [1e6, "1e6"], [-0.5, "-0.5"], [Number("12345678901234567890"), "12345678901234567890"],
    ]);
  });

  it("strings are quoted scalars with escapes decoded", () => {
    expect(parse('"a\\n\\u00e9\\"/"')).toMatchObject({ kind: "scalar", value: 'a\né"/', style: "quoted" });
  });

  it("a duplicate key is an error at the second key", () => {
    expect(errorOf('{\n  "a": 1,\n  "a": 2\n}')).toBe('3:3 duplicate key "a" in an object');
  });

  it.each([
    ['{"a": 1,}', "1:9 JSON syntax error: trailing comma before }"],
    ["[1, 2,]", "1:7 JSON syntax error: trailing comma before ]"],
    ['{"a": 1} // note', "1:10 JSON syntax error: comments are not allowed in JSON"],
    ["{'a': 1}", "1:2 JSON syntax error: expected a key in double quotes"],
    ['{"a": \'x\'}', "1:7 JSON syntax error: JSON strings use double quotes"],
    ['{"a": 030}', '1:7 JSON syntax error: invalid number "03"'],
    ['{"a": 0x10}', '1:7 JSON syntax error: invalid number "0x"'],
    ['{"a": "x', "1:7 JSON syntax error: string is not closed"],
    ['{"a": 1', "1:8 JSON syntax error: expected , or } after a member"],
    ['{"a": 1e999}', "1:7 JSON syntax error: number 1e999 is too large for a float64"],
    ["{a: 1}", "1:2 JSON syntax error: expected a key in double quotes"],
    ['{"a": 1} {}', "1:10 JSON syntax error: unexpected text after the JSON value"],
    ['{"a": tru}', '1:7 JSON syntax error: unexpected character "t" where a value was expected'],
  ])("%s is refused at its place", (text, expected) => {
    expect(errorOf(text)).toBe(expected);
  });

  it("an empty file has no root", () => {
    expect(parse("  \n")).toBeNull();
  });

  it("reads every JSON text as JSON.parse does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const root = parse(text);
        expect(root === null ? undefined : toPlain(root)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});
