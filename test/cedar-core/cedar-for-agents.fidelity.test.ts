/**
 * cedar-for-agents: the request the MCP schema generator builds, pinned with the facts of
 * cedar-policy/cedar-for-agents rust/cedar-policy-mcp-schema-generator/src/generator/request.rs
 * tests at commit bf3ea5a6d4b7f0e48eeb09d542d48d1e72b3a39a. The generator (npm
 * @cedar-policy/mcp-schema-generator-wasm) validates and names the entities; the context is ours.
 */
import { describe, expect, it } from "vitest";
import type { GeneratorOptions } from "../../src/cedar/index.js";
import { loadCedar } from "../../src/cedar/index.js";
import { callOf, decide } from "./helpers.js";

const STUB = `namespace Test {
  @mcp_principal
  entity user;
  @mcp_resource
  entity resource;
  action "call_tool" appliesTo { principal: [user], resource: [resource] };
}`;

const run = (policy: string, properties: object, args: object, generator: GeneratorOptions = {}) =>
  decide(policy, "cedar-for-agents", {
    tool: "test_tool",
    args,
    claims: { sub: "alice" },
    tools: [{ name: "test_tool", inputSchema: { type: "object", properties } }],
  }, { stub: STUB, server: "srv", generator });

describe("cedar-for-agents: the request (request.rs tests)", () => {
  it("names the tool's action in the stub's namespace and gives an empty input record (empty_input)", () => {
    const p = `permit(principal == Test::user::"alice", action == Test::Action::"test_tool", resource == Test::resource::"srv") when { context.input == {} };`;
    expect(run(p, {}, {})).toEqual({ decision: "allow", rule: "policy0", message: null, errors: [] });
  });

  it("gives numbers as decimals rounded to four places with numbersAsDecimal (numbers_as_decimal)", () => {
    const p = `permit(principal, action, resource) when {
      context.input.num_attr == decimal("0.0100") && context.input.float_attr == decimal("-0.0100") && context.input.pseudo_int == decimal("10.0000") };`;
    const properties = { num_attr: { type: "number" }, float_attr: { type: "float" }, pseudo_int: { type: "number" }, int_attr: { type: "integer" } };
    expect(run(p, properties, { num_attr: 0.01, float_attr: -0.01, pseudo_int: 10 }, { numbersAsDecimal: true }).decision).toBe("allow");
  });

  it("gives a number as a Number entity named by its text by default, and an integer as a Long", () => {
    const p = `permit(principal, action, resource) when { context.input.n == Test::Number::"0.5" && context.input.i == 3 };`;
    expect(run(p, { n: { type: "number" }, i: { type: "integer" } }, { n: 0.5, i: 3 }).decision).toBe("allow");
  });

  it("gives values of unknown type distinct Unknown entities (unknown_property_types)", () => {
    const p = `permit(principal, action, resource) when {
      context.input.unknown1 is Test::Unknown && context.input.unknown2 is Test::Unknown && context.input.unknown1 != context.input.unknown2 };`;
    expect(run(p, { unknown1: {}, unknown2: {} }, { unknown1: true, unknown2: [0.01, {}, []] }).decision).toBe("allow");
  });

  it("gives an array as a Set (array)", () => {
    const p = `permit(principal, action, resource) when { context.input.arr_attr.contains(true) && context.input.arr_attr.contains(false) };`;
    expect(run(p, { arr_attr: { type: "array", items: { type: "boolean" } } }, { arr_attr: [true, false] }).decision).toBe("allow");
  });

  it.each([
    [{ type: ["boolean", "integer"] }, true, `context.input.union_attr == {typeChoice0: true}`],
    [{ type: ["boolean", "integer"] }, 0, `context.input.union_attr == {typeChoice1: 0}`],
    [{ anyOf: [{ type: "boolean" }, { type: "integer" }] }, 0, `context.input.union_attr == {typeChoice1: 0}`],
  ])("gives a union value as typeChoice<i> of the first type it fits (type_array_union, union): %j %j", (schema, value, cond) => {
    expect(run(`permit(principal, action, resource) when { ${cond} };`, { union_attr: schema }, { union_attr: value }).decision).toBe("allow");
  });

  it("gives null as the Null entity and an enum value as an entity of the property's type", () => {
    const p = `permit(principal, action, resource) when { context.input.gone == Test::Null::"null" && context.input.mode == Test::test_tool::Input::mode::"fast" };`;
    expect(run(p, { gone: { type: "null" }, mode: { type: "string", enum: ["fast", "slow"] } }, { gone: null, mode: "fast" }).decision).toBe("allow");
  });

  it("gives an object as an entity in the tool's Input namespace, or a record with objectsAsRecords", () => {
    const properties = { o: { type: "object", properties: { a: { type: "string" } } } };
    const asEntity = `permit(principal, action, resource) when { context.input.o is Test::test_tool::Input::o && context.input.o.a == "x" };`;
    expect(run(asEntity, properties, { o: { a: "x" } }).decision).toBe("allow");
    const asRecord = `permit(principal, action, resource) when { context.input.o == {a: "x"} };`;
    expect(run(asRecord, properties, { o: { a: "x" } }, { objectsAsRecords: true }).decision).toBe("allow");
  });

  it("refuses input the generator does not validate: a wrong type, an unexpected property", () => {
    const all = `permit(principal, action, resource);`;
    const wrong = run(all, { n: { type: "number" } }, { n: "x" });
    expect(wrong.decision).toBe("deny");
    expect(wrong.rule).toBe("(invalid input)");
    expect(wrong.errors[0]).toMatch(/does not match expected type/);
    expect(run(all, { n: { type: "number" } }, { z: 1 }).errors[0]).toMatch(/Unexpected property on object: z/);
  });

  it("leaves input it does not rebuild yet undecided, saying what: the generator accepts it, so a gateway would decide it (never a deny it did not make)", () => {
    // An allow-everything policy: the real request is allowed whatever its context holds.
    const out = run(`permit(principal, action, resource);`, { when: { type: "string", format: "date-time" } }, { when: "2026-01-01T00:00:00Z" });
    expect(out).toMatchObject({ decision: "undecided", rule: null });
    expect(out.message).toMatch(/cannot decide: mcptape does not rebuild this input yet \(when has format date-time\)/);
  });
});

describe("cedar-for-agents: loading", () => {
  it("needs a stub that marks the principal and resource types", () => {
    expect(loadCedar(`permit(principal, action, resource);`, "p.cedar", "cedar-for-agents", {}).diagnostics[0]!.message).toMatch(/--stub/);
    const unmarked = `namespace N { entity U; entity R; }`;
    expect(loadCedar(`permit(principal, action, resource);`, "p.cedar", "cedar-for-agents", { stub: unmarked }).diagnostics[0]!.message).toMatch(/@mcp_principal/);
  });

  it("uses the session identity when the claims have no sub", () => {
    const engine = loadCedar(`permit(principal == Test::user::"sess-1", action, resource);`, "p.cedar", "cedar-for-agents", { stub: STUB }).engine!;
    const out = engine.decide(callOf({ tool: "t", identity: "sess-1", tools: [{ name: "t", inputSchema: { type: "object" } }] }));
    expect(out.decision).toBe("allow");
  });
});
