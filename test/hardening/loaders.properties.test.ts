import fc from "fast-check";
import { describe, it } from "vitest";
import { PROPERTIES } from "./properties.js";

describe("readers of user files throw nothing but InputError", () => {
  it.each(PROPERTIES.map((p) => [p.name, p] as const))("%s", (_name, p) => {
    fc.assert(p.property as fc.IProperty<unknown[]>, { numRuns: 150 });
  });
});
