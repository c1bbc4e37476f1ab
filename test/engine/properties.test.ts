import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CounterStore } from "../../src/engine/counters.js";
import { decide } from "../../src/engine/decide.js";
import { OPS } from "../../src/policy/model.js";
import { evalOp, evalPrepared, prepareOperand } from "../../src/policy/ops.js";
import { buildPolicy, type CompactCondition, type CompactPolicy } from "./build.js";

const NOW = Date.parse("2026-03-04T10:31:00Z");

const operand = fc.oneof(fc.jsonValue(), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }));
const path = fc.oneof(
  fc.constantFrom("args.a", "args.a.b", "args.amount", "args.list", "args.", "args.__proto__", "args.constructor.name"),
  fc.constantFrom("state.t.c", "state._global.g", "state.nowhere.x", "other.path"),
);
const condition: fc.Arbitrary<CompactCondition> = fc.tuple(path, fc.constantFrom(...OPS), operand);
const compactRule = fc.record({
  name: fc.string({ maxLength: 8 }).map((s) => s || "r"),
  action: fc.constantFrom("evaluate" as const, "deny" as const, "require_approval" as const),
  when: fc.array(condition, { maxLength: 3 }),
});
const policyArb: fc.Arbitrary<CompactPolicy> = fc.record({
  default: fc.constantFrom("allow" as const, "deny" as const),
  hide: fc.array(fc.constantFrom("t", "u", "x", "*"), { maxLength: 1 }),
  tools: fc.record({
    t: fc.array(compactRule, { maxLength: 3 }).map((rs) => [
      ...rs,
      { name: "lim", when: [["state.t.c", "lte", 3n]] as CompactCondition[], state: { counter: "c", window: "minute" as const, incrementFrom: "args.amount" } },
    ]),
    "*": fc.array(compactRule, { maxLength: 2 }),
  }),
});
const anyArgs = fc.oneof(fc.jsonValue(), fc.anything(), fc.dictionary(fc.constantFrom("a", "amount", "list", "__proto__"), fc.anything()));
const callArb = fc.record({ tool: fc.constantFrom("t", "u", "x"), args: anyArgs, session: fc.string({ maxLength: 3 }) });

describe("decide properties", () => {
  it("decide never throws on any arguments and always returns a known decision", () => {
    fc.assert(fc.property(policyArb, fc.array(callArb, { maxLength: 5 }), (p, calls) => {
      const policy = buildPolicy(p);
      const store = new CounterStore();
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
        const policy = buildPolicy(p);
        const store = new CounterStore();
        return calls.map((c) => decide(policy, c, store, NOW));
      };
      expect(once()).toEqual(once());
    }), { numRuns: 200 });
  });

  it("a policy with default allow and no rules allows everything", () => {
    const policy = buildPolicy({});
    fc.assert(fc.property(fc.string(), anyArgs, (tool, args) => {
      expect(decide(policy, { tool, args, session: "s" }, new CounterStore(), NOW).decision).toBe("allow");
    }));
  });

  it("a refused call leaves the counters as they were", () => {
    fc.assert(fc.property(policyArb, fc.array(callArb, { minLength: 1, maxLength: 6 }), (p, calls) => {
      const policy = buildPolicy(p);
      const store = new CounterStore();
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
