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
