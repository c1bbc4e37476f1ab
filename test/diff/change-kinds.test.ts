/**
 * Every change kind, pinned on real policy edits (fixtures/base.yaml → head.yaml) over a
 * hand-made tape of call lines (fixtures/kinds.jsonl): one session per change, plus one
 * session "cf" that diverges and goes on.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CHANGE_KINDS, type ChangeKind } from "../../src/diff/change-kind.js";
import { DiffTotalsCounter } from "../../src/diff/totals.js";
import type { DiffedCall } from "../../src/diff/types.js";
import { diffCalls, fixture, policyFrom } from "./helpers.js";

let calls: DiffedCall[];

beforeAll(async () => {
  calls = await diffCalls(await policyFrom(fixture("base.yaml")), await policyFrom(fixture("head.yaml")), [fixture("kinds.jsonl")]);
});

const bySession = (session: string): DiffedCall[] => calls.filter((c) => c.session === session);
const only = (session: string): DiffedCall => {
  const found = bySession(session);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe("change kinds over real policy edits", () => {
  const cases: [session: string, kind: ChangeKind][] = [
    ["s-delete", "allow->deny"],
    ["s-exec", "deny->allow"],
    ["s-search3", "allow->throttle"],
    ["s-fetch2", "throttle->allow"],
    ["s-pay", "allow->approval"],
    ["s-deploy", "approval->allow"],
    ["s-mail", "deny->allow"],
    ["s-mail2", "deny->throttle"],
    ["s-upload", "allow->deny"],
    ["s-upload2", "throttle->deny"],
    ["s-transfer", "deny->approval"],
    ["s-wire", "approval->deny"],
    ["s-batch", "allow->approval"],
    ["s-batch2", "throttle->approval"],
    ["s-sync", "approval->allow"],
    ["s-sync2", "approval->throttle"],
    ["s-admin", "rule changed"],
    ["s-shell", "message changed"],
  ];
  for (const [session, kind] of cases) {
    it(`${session} is ${kind}`, () => {
      expect(only(session).change).toBe(kind);
    });
  }

  it("the fixtures exercise every change kind", () => {
    const seen = new Set(calls.map((c) => c.change).filter((k) => k !== null));
    expect([...seen].sort()).toEqual([...CHANGE_KINDS].sort());
  });

  it("a lowered rate limit throttles only the call past the new limit", () => {
    expect(["s-search", "s-search2", "s-search3"].map((s) => only(s).change)).toEqual([null, null, "allow->throttle"]);
  });

  it("a rule renamed with the same message is a rule change, not a message change", () => {
    const c = only("s-admin");
    expect([c.base.rule, c.head.rule, c.base.message, c.head.message]).toEqual(["admin-off", "admin-blocked", "admin is off", "admin is off"]);
  });

  it("an untouched tool is unchanged", () => {
    expect(only("s-read").change).toBeNull();
  });
});

describe("counterfactual marking", () => {
  it("calls before a session's first change are not counterfactual", () => {
    expect(bySession("cf")[0]).toMatchObject({ tool: "read", change: null, counterfactual: false });
  });

  it("the first change of a session is direct", () => {
    expect(bySession("cf")[1]).toMatchObject({ tool: "delete", change: "allow->deny", counterfactual: false });
  });

  it("every later call of that session is counterfactual, changed or not", () => {
    expect(bySession("cf").slice(2).map((c) => [c.tool, c.change, c.counterfactual])).toEqual([
      ["read", null, true],
      ["exec", "deny->allow", true],
    ]);
  });

  it("a change in one session does not make another session counterfactual", () => {
    expect(calls.filter((c) => c.session !== "cf").every((c) => !c.counterfactual)).toBe(true);
  });
});

describe("totals", () => {
  it("count direct and counterfactual changes apart and group them", () => {
    const counter = new DiffTotalsCounter();
    for (const c of calls) counter.add(c);
    const { summary, byTool, byRule } = counter.totals;
    expect(summary).toMatchObject({ calls: 26, changed: 20, direct: 19, counterfactual: 1 });
    expect(summary.direct + summary.counterfactual).toBe(summary.changed);
    // s-exec, s-mail, s-fetch2, s-deploy, s-sync and the counterfactual cf exec.
    expect(summary.loosened).toBe(6);
    expect(byTool.get("exec")).toMatchObject({ changed: 2, direct: 1, counterfactual: 1 });
    expect(byTool.get("exec")!.kinds.get("deny->allow")).toBe(2);
    expect(byRule.get("(no rule) → no-deletes")!.changed).toBe(2);
    expect(byRule.get("shell-off")!.kinds.get("message changed")).toBe(1);
    expect(byTool.has("read")).toBe(false);
  });
});
