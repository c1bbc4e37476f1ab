import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCounterStore } from "../../src/engine/counters.js";
import { decide } from "../../src/engine/decide.js";
import { loadPolicyText } from "../../src/policy/load.js";
import { OPS, type Op, type Policy } from "../../src/policy/model.js";
import { evalOp, evalPrepared, prepareOperand } from "../../src/policy/ops.js";

const NOW = Date.parse("2026-03-04T10:31:00Z");

/** A generated policy must load: the engine only ever sees what the loader accepts. */
function load(text: string): Policy {
  const loaded = loadPolicyText(text, "generated.yaml");
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return loaded.policy!;
}

/**
 * A value as YAML flow text that reads back as the same Go value: a bigint is a YAML integer,
 * a JS number a YAML float (Go float64, like a JSON argument).
 */
function yamlValue(v: unknown): string {
  if (typeof v === "bigint") return String(v);
  if (typeof v === "number") return /[.e]/.test(String(v)) ? String(v) : `${String(v)}.0`;
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(yamlValue).join(", ")}]`;
  return `{${Object.entries(v as object).map(([k, x]) => `${JSON.stringify(k)}: ${yamlValue(x)}`).join(", ")}}`;
}

const operand = fc.oneof(fc.jsonValue(), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }));
const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
/** Values the loader accepts for each operator (dialect-intercept.md, "Validation errors"). */
const operandFor: Record<Op, fc.Arbitrary<unknown>> = {
  eq: operand, neq: operand, contains: operand,
  in: fc.array(operand, { maxLength: 3 }), not_in: fc.array(operand, { maxLength: 3 }),
  lt: number, lte: number, gt: number, gte: number,
  regex: fc.constantFrom("^feat/", "(?i)drop", "b+", "^$", "[0-9]{2}"),
  exists: fc.boolean(),
};
const path = fc.oneof(
  fc.constantFrom("args.a", "args.a.b", "args.amount", "args.list", "args.", "args.__proto__", "args.constructor.name"),
  // state.t names no counter: it always reads 0.
  fc.constantFrom("state.t.c", "state._global.g", "state.t"),
);
const condition = fc.constantFrom(...OPS).chain((op) => fc.tuple(path, operandFor[op]).map(([p, value]) =>
  `{path: ${p}, op: ${op}, value: ${yamlValue(value)}}`));
const conditions = (minLength: number) => fc.array(condition, { minLength, maxLength: 3 }).map((cs) => `[${cs.join(", ")}]`);
const name = fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s || "r"));
/** Intercept refuses a deny rule with conditions and an evaluate rule without. */
const rule = fc.oneof(
  name.map((n) => `{name: ${n}, action: deny}`),
  fc.tuple(name, conditions(1)).map(([n, cs]) => `{name: ${n}, conditions: ${cs}}`),
  fc.tuple(name, conditions(0)).map(([n, cs]) => `{name: ${n}, action: require_approval, conditions: ${cs}}`),
);
/** Every policy keeps a counter on t and one on "*", so state paths name real counters. */
const LIM = "{name: lim, conditions: [{path: state.t.c, op: lte, value: 3}], state: {counter: c, window: minute, increment_from: args.amount}}";
const GLIM = "{name: glim, conditions: [{path: state._global.g, op: lte, value: 3}], state: {counter: g, window: minute}}";
const policyArb: fc.Arbitrary<string> = fc.record({
  default: fc.constantFrom("allow", "deny"),
  hide: fc.array(fc.constantFrom("t", "u", "x", '"*"'), { maxLength: 1 }),
  t: fc.array(rule, { maxLength: 3 }),
  wildcard: fc.array(rule, { maxLength: 2 }),
}).map((p) => `version: "1"
default: ${p.default}
hide: [${p.hide.join(", ")}]
tools:
  t: {rules: [${[...p.t, LIM].join(", ")}]}
  "*": {rules: [${[...p.wildcard, GLIM].join(", ")}]}
`);
const anyArgs = fc.oneof(fc.jsonValue(), fc.anything(), fc.dictionary(fc.constantFrom("a", "amount", "list", "__proto__"), fc.anything()));
const callArb = fc.record({ tool: fc.constantFrom("t", "u", "x"), args: anyArgs, session: fc.string({ maxLength: 3 }) });

describe("decide properties", () => {
  it("decide never throws on any arguments and always returns a known decision", () => {
    fc.assert(fc.property(policyArb, fc.array(callArb, { maxLength: 5 }), (p, calls) => {
      const policy = load(p);
      const store = createCounterStore();
      for (const c of calls) {
        const d = decide(policy, c, store, NOW);
        expect(["allow", "deny", "throttle", "approval"]).toContain(d.decision);
        expect(d.decision === "allow" ? d.rule === null : typeof d.message === "string").toBe(true);
      }
    }), { numRuns: 300 });
  });

  it("decide is deterministic: same inputs and fresh counters give the same decision", () => {
    fc.assert(fc.property(policyArb, fc.array(callArb, { maxLength: 4 }), (p, calls) => {
      const once = () => {
        const policy = load(p);
        const store = createCounterStore();
        return calls.map((c) => decide(policy, c, store, NOW));
      };
      expect(once()).toEqual(once());
    }), { numRuns: 200 });
  });

  it("a policy with default allow and no rules allows everything", () => {
    const policy = load('version: "1"\n');
    fc.assert(fc.property(fc.string(), anyArgs, (tool, args) => {
      expect(decide(policy, { tool, args, session: "s" }, createCounterStore(), NOW).decision).toBe("allow");
    }));
  });

  it("a refused call leaves the counters as they were", () => {
    fc.assert(fc.property(policyArb, fc.array(callArb, { minLength: 1, maxLength: 6 }), (p, calls) => {
      const policy = load(p);
      const store = createCounterStore();
      for (const c of calls) {
        const before = store.snapshot(NOW);
        const d = decide(policy, c, store, NOW);
        if (d.decision !== "allow") expect(store.snapshot(NOW)).toEqual(before);
      }
    }), { numRuns: 200 });
  });
});

describe("operator properties", () => {
  it("neq is the negation of eq and not_in of in on present values", () => {
    fc.assert(fc.property(fc.jsonValue(), operand, (a, o) => {
      expect(evalOp("neq", a, o)).toBe(!evalOp("eq", a, o));
      expect(evalOp("not_in", a, [o])).toBe(!evalOp("in", a, [o]));
    }));
  });
  it("every JSON value is eq to itself", () => {
    fc.assert(fc.property(fc.jsonValue(), (a) => {
      expect(evalOp("eq", a, structuredClone(a))).toBe(true);
    }));
  });
  it("a prepared operand decides like a fresh one", () => {
    fc.assert(fc.property(fc.constantFrom(...OPS), fc.jsonValue(), operand, (op, a, o) => {
      const p = prepareOperand(o);
      expect(evalPrepared(op, a, p)).toBe(evalOp(op, a, o));
    }));
  });
});
