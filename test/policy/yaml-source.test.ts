import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseYamlSource, toPlain } from "../../src/yaml-source.js";
import { diags } from "./helpers.js";
import { inputErrorOf } from "../helpers/input-error.js";

function refusal(text: string): InputError {
  return inputErrorOf(() => parseYamlSource(text, "p.yaml"));
}

describe("YAML with positions", () => {
  it("a key named __proto__ is kept as data, as JSON.parse keeps it", () => {
    const plain = toPlain(parseYamlSource("args: {__proto__: 1, b: 2}\n", "p.yaml").root!) as { args: object };
    expect(Object.keys(plain.args)).toEqual(["__proto__", "b"]);
    expect(plain.args).toEqual(JSON.parse('{"__proto__": 1, "b": 2}'));
  });

  it("a duplicate key is refused at the second key", () => {
    const err = refusal('version: "1"\ntools:\n  a: {}\n  a: {}\n');
    expect([err.line, err.col, err.message]).toEqual([4, 3, "duplicate key in a mapping"]);
  });

  // Go's yaml.v3 (decode.go, `mapping`) calls two keys the same when their nodes are of one
  // kind and have the same text (Node.Value: quotes and escapes read, no tag applied), and
  // Intercept refuses a file with such a pair (internal/config/config.go returns the error).
  it("keys with the same text are the same key, as yaml.v3 finds duplicates: 1 and \"1\"", () => {
    const err = refusal('version: "1"\ntools:\n  1: {}\n  "1": {}\n');
    expect([err.line, err.col, err.message]).toEqual([4, 3, "duplicate key in a mapping"]);
    expect(refusal("a: 1\n'a': 2\n").message).toBe("duplicate key in a mapping");
  });

  it("keys with another text are other keys, even where they read as the same value: 0x10 and 16, ~ and null", () => {
    const plain = toPlain(parseYamlSource("tools:\n  0x10: {}\n  16: {}\n  ~: {}\n  null: {}\n", "p.yaml").root!) as { tools: object };
    // Not refused; read into Go strings, ~ and null are both "" (a null into a string is its zero value).
    expect(Object.keys(plain.tools)).toEqual(["16", "0x10", ""]);
  });

  it("an alias bomb is refused with a clear error", () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]", "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]", "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]"].join("\n");
    const err = refusal(bomb);
    expect(err.message).toMatch(/^YAML aliases expand too much/);
    expect(err.hint).toBe("a policy may expand at most 100 aliases; write the values out");
    expect(err.line).toBe(2);
  });

  it("a syntax error is refused with its line and column", () => {
    const err = refusal('version: "1"\ntools: [a\n');
    expect(err.message).toMatch(/^YAML syntax error/);
    expect(err.line).toBeGreaterThanOrEqual(2);
  });

  it("a syntax error becomes an error diagnostic of the loader", () => {
    expect(diags("a: b: c\n")[0]).toMatch(/^1:\d+ error YAML syntax error/);
  });

  it("aliases and merge keys resolve to the anchored values", () => {
    const src = parseYamlSource("base: &b {op: lt, value: 5}\nc:\n  <<: *b\n  path: args.a\n", "p.yaml");
    const root = src.root!;
    const c = root.kind === "map" ? root.entries[1]!.value : null;
    expect(c?.kind === "map" && c.entries.map((e) => e.keyText)).toEqual(["path", "op", "value"]);
  });

  it("positions are 1-based line and column of the node", () => {
    const src = parseYamlSource("a:\n  b: 7\n", "p.yaml");
    const root = src.root!;
    const a = root.kind === "map" ? root.entries[0]!.value : null;
    const b = a?.kind === "map" ? a.entries[0]!.value : null;
    expect(b?.at).toEqual({ line: 2, col: 6 });
  });
});
