import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasDuplicateKeys } from "../../src/record/duplicate-keys.js";

describe("hasDuplicateKeys", () => {
  it("finds no duplicate in anything JSON.stringify writes", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => !hasDuplicateKeys(JSON.stringify(v))));
  });

  it("finds a key repeated in one object, at any depth", () => {
    expect(hasDuplicateKeys('{"a":1,"a":2}')).toBe(true);
    expect(hasDuplicateKeys('[{"x":{"b":"}","b":"{"}}]')).toBe(true);
    expect(hasDuplicateKeys(' { "a" : 1 , "a" : 2 } ')).toBe(true);
  });

  it("finds a copy of any key of any object, wherever the object sits in a JSON value", () => {
    // The copy goes first, so JSON.parse keeps the other one: the case that hides a secret.
    const objectWithKey = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 })
      .chain((o) => fc.record({ o: fc.constant(o), key: fc.constantFrom(...Object.keys(o)), copy: fc.jsonValue({ maxDepth: 1 }) }));
    fc.assert(
      fc.property(objectWithKey, fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.nat(3), ({ o, key, copy }, siblings, at) => {
        const text = `{${JSON.stringify(key)}:${JSON.stringify(copy)},${JSON.stringify(o).slice(1)}`;
        const items = siblings.map((v) => JSON.stringify(v));
        items.splice(Math.min(at, items.length), 0, text);
        const whole = `{"params":[${items.join(",")}]}`;
        expect(JSON.parse(whole)).toBeTruthy();
        return hasDuplicateKeys(whole);
      }),
      { numRuns: 300 },
    );
  });

  it("reads escaped keys as the keys they spell", () => {
    expect(hasDuplicateKeys('{"a":1,"\\u0061":2}')).toBe(true);
    expect(hasDuplicateKeys('{"a\\"":1,"a":2}')).toBe(false);
  });

  it("does not mistake the same key in sibling objects, or strings that look like keys", () => {
    expect(hasDuplicateKeys('[{"a":1},{"a":2}]')).toBe(false);
    expect(hasDuplicateKeys('{"a":{"a":1},"b":"a"}')).toBe(false);
    expect(hasDuplicateKeys('{"a":["a","a"],"b":"\\\\"}')).toBe(false);
  });
});
