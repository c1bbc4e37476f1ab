/** The pieces: forbidden expressions, the property file, schema-driven arguments, the checker. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { checkCase } from "../../src/fuzz/check.js";
import { forbidHolds, parseForbid } from "../../src/fuzz/expr.js";
import { parsePropertiesText } from "../../src/fuzz/properties-file.js";
import { policyPathValues } from "../../src/fuzz/policy-values.js";
import { schemaArb } from "../../src/fuzz/schema-arb.js";
import { gatewaysOf } from "../gateways.js";
import { policyOf } from "./helpers.js";

describe("forbidden expressions", () => {
  it("symbol operators mean the named ones and values are JSON", () => {
    expect(parseForbid("args.amount > 50000").op).toBe("gt");
    expect(parseForbid("args.a.b != null").op).toBe("neq");
    expect(parseForbid('args.c in ["btc","xmr"]').value).toEqual(["btc", "xmr"]);
  });

  it("are judged with Go semantics: a numeric string is not greater than a number", () => {
    const gt = parseForbid("args.amount > 50000");
    expect(forbidHolds(gt, { amount: 60000 })).toBe(true);
    expect(forbidHolds(gt, { amount: "60000" })).toBe(false);
    expect(forbidHolds(parseForbid('args.a.b contains ".."'), { a: { b: "/x/../y" } })).toBe(true);
    expect(forbidHolds(parseForbid("args.x exists false"), {})).toBe(true);
    expect(forbidHolds(parseForbid("args.x neq 1"), {})).toBe(false);
  });

  it("a claims. path reads the caller's claims, not the arguments", () => {
    const roles = parseForbid('claims.roles contains "contractors"');
    expect(forbidHolds(roles, { roles: ["contractors"] }, { roles: ["staff"] })).toBe(false);
    expect(forbidHolds(roles, {}, { roles: ["staff", "contractors"] })).toBe(true);
    expect(forbidHolds(roles, {}, undefined)).toBe(false);
  });

  it.each([
    ["args.path", /three parts/],
    ["path contains x", /must start with args\. or claims\./],
    ["claims exists true", /must start with args\. or claims\./],
    ['args.path like ".."', /unknown operator "like"/],
    ["args.path contains ..", /not JSON/],
    ['args.amount > "5"', /gt needs a number/],
    ['args.c in "btc"', /in needs a JSON list/],
    ['args.n regex "(a"', /regex does not compile/],
    ["args.x exists yes", /not JSON/],
  ])("%s is refused with what is wrong and the form", (text, why) => {
    let err: unknown;
    try {
      parseForbid(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(why);
    expect((err as InputError).hint).toContain("PATH OP VALUE");
  });
});

describe("the property file", () => {
  it("lists expressions and rate properties per tool, with * for every tool", () => {
    const props = parsePropertiesText(
      'read_file:\n  - args.path contains ".."\ncreate_refund:\n  - args.amount > 500\n  - { max_calls: 10, per: 1m }\n"*":\n  - { forbid: "args.token exists true" }\n',
      "props.yaml",
    );
    expect(props.map((p) => [p.kind, p.tool, p.kind === "forbid" ? p.expr.source : p.perMs])).toEqual([
      ["forbid", "read_file", 'args.path contains ".."'],
      ["forbid", "create_refund", "args.amount > 500"],
      ["max_calls", "create_refund", 60_000],
      ["forbid", undefined, "args.token exists true"],
    ]);
  });

  it("a bad entry names the file, line and column", () => {
    let err: unknown;
    try {
      parsePropertiesText("send:\n  - { max_calls: 10, per: soon }\n", "props.yaml");
    } catch (e) {
      err = e;
    }
    expect((err as InputError).format()).toMatch(/^props\.yaml:2:\d+: error: per "soon" is not a span/);
  });

  it("an entry with both forbid and max_calls is refused: one of the two would go unchecked", () => {
    expect(() => parsePropertiesText('send:\n  - { forbid: "args.to exists true", max_calls: 3, per: 1m }\n', "props.yaml"))
      .toThrow(/an entry is forbid or max_calls, not both/);
  });
});

describe("arguments from inputSchema", () => {
  it("keep required keys, enums, bounds, lengths and patterns", () => {
    const schema = {
      type: "object",
      properties: {
        mode: { enum: ["r", "w"] },
        n: { type: "integer", minimum: 3, maximum: 7 },
        x: { type: "number", exclusiveMinimum: 0, maximum: 1 },
        id: { type: "string", pattern: "^[A-Z]{3}-[0-9]{2}$" },
        tag: { type: "string", minLength: 2, maxLength: 4 },
        list: { type: "array", items: { type: "boolean" }, maxItems: 2 },
        either: { anyOf: [{ type: "null" }, { const: 5 }] },
        ref: { $ref: "#/$defs/k" },
      },
      required: ["mode", "n", "id"],
      $defs: { k: { type: "string", enum: ["k1"] } },
    };
    fc.assert(
      fc.property(schemaArb(schema), (v) => {
        const o = v as Record<string, unknown>;
        expect(["r", "w"]).toContain(o.mode);
        expect(Number.isInteger(o.n) && (o.n as number) >= 3 && (o.n as number) <= 7).toBe(true);
        expect(o.id).toMatch(/^[A-Z]{3}-[0-9]{2}$/);
        if ("x" in o) expect((o.x as number) > 0 && (o.x as number) <= 1).toBe(true);
        if ("tag" in o) expect((o.tag as string).length >= 2 && [...(o.tag as string)].length <= 4).toBe(true);
        if ("list" in o) expect((o.list as boolean[]).length).toBeLessThanOrEqual(2);
        if ("either" in o) expect([null, 5]).toContain(o.either);
        if ("ref" in o) expect(o.ref).toBe("k1");
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});

describe("arguments from inputSchema, edge keywords", () => {
  const all = (schema: unknown, check: (v: Record<string, unknown>) => void) =>
    fc.assert(fc.property(schemaArb(schema), (v) => {
      check(v as Record<string, unknown>);
    }), { numRuns: 300, seed: 2 });

  it("exclusive bounds are never reached, in both drafts' spellings and at any magnitude", () => {
    all({
      type: "object",
      properties: {
        a: { type: "number", exclusiveMinimum: 1000, maximum: 1000.5 },
        b: { type: "number", minimum: -7, exclusiveMaximum: 2 },
        c: { type: "integer", minimum: 4, exclusiveMinimum: true, maximum: 6, exclusiveMaximum: true },
        d: { type: "integer", minimum: 10, exclusiveMinimum: 20, maximum: 22 },
      },
      required: ["a", "b", "c", "d"],
    }, (o) => {
      expect(o.a as number).toBeGreaterThan(1000);
      expect(o.a as number).toBeLessThanOrEqual(1000.5);
      expect(o.b as number).toBeLessThan(2);
      expect(o.c).toBe(5);
      expect([21, 22]).toContain(o.d);
    });
  });

  it("a minLength past the usual length is met, not a crash", () => {
    all({ type: "string", minLength: 100 } as unknown as Record<string, unknown>, (v) => expect([...(v as unknown as string)].length).toBeGreaterThanOrEqual(100));
  });

  it("a pattern's samples keep to maxLength", () => {
    all({ type: "string", pattern: "^a+$", maxLength: 3 }, (v) => expect(v as unknown as string).toMatch(/^a{1,3}$/));
  });

  it("allOf keeps the schema's own keywords and every part's, bounds tightest", () => {
    all({
      type: "object",
      properties: { n: { type: "integer" } },
      required: ["n"],
      allOf: [{ properties: { n: { minimum: 10, maximum: 12 } } }, { $ref: "#/$defs/named" }],
      $defs: { named: { properties: { name: { type: "string", minLength: 3, maxLength: 3 } }, required: ["name"] } },
    }, (o) => {
      expect([10, 11, 12]).toContain(o.n);
      expect([...(o.name as string)]).toHaveLength(3);
    });
    all({ allOf: [{ type: "string" }, { minLength: 5, maxLength: 6 }] }, (v) => expect([...(v as unknown as string)].length).toBeGreaterThanOrEqual(5));
  });

  it("a required key with no subschema is still generated, and keys like __proto__ are plain keys", () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"const":1},"toString":{"const":2}},"required":["__proto__","toString","free"]}') as unknown;
    all(schema, (o) => {
      expect(Object.hasOwn(o, "free")).toBe(true);
      expect(Object.getOwnPropertyDescriptor(o, "__proto__")?.value).toBe(1);
      expect(o.toString).toBe(2);
    });
  });
});

describe("checking a case", () => {
  it("reports an engine that throws as a finding, not a crash", () => {
    const policy = policyOf('version: "1"\ntools:\n  t:\n    rules:\n      - name: r\n        conditions:\n          - { path: args.a, op: regex, value: "x" }\n');
    policy.hide = { has: () => { throw new Error("boom"); } } as unknown as Set<string>;
    const v = checkCase({ gateway: gatewaysOf(policy)(), properties: [] }, { tool: "t", start: 0, calls: [{ gapMs: 0, args: { a: "x" } }] });
    expect(v).toMatchObject({ kind: "throws", callIndex: 0, error: "Error: boom" });
  });
});

describe("values the policy names", () => {
  it("a date in the policy is tried as JSON text: as written, and as the Go text that alone equals it", () => {
    const policy = policyOf('version: "1"\ntools:\n  t:\n    rules:\n      - name: r\n        conditions: [{path: args.d, op: eq, value: 2026-01-31}]\n');
    const [d] = policyPathValues([policy], "t", []);
    const seen = new Set(fc.sample(d!.values, { numRuns: 2000, seed: 1 }).map((v) => JSON.stringify(v)));
    expect(seen).toContain('"2026-01-31"');
    expect(seen).toContain('"2026-01-31 00:00:00 +0000 UTC"');
    expect([...seen].some((v) => v.includes("source"))).toBe(false); // never the object itself
  });
});
