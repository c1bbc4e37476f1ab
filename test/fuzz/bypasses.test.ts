/**
 * Planted bypasses: policies with a hole a real agent could use, each of which fuzzing must
 * find within 5 seconds (fixed seeds, so the same case is found on every run).
 */
import { describe, expect, it } from "vitest";
import { createCounterStore } from "../../src/engine/counters.js";
import { decide } from "../../src/engine/decide.js";
import { forbid, fuzz, policyOf, TEN_A_MINUTE } from "./helpers.js";

const FIVE_SECONDS = 5000;


describe("fuzzing finds planted bypasses", () => {
  it("a path prefix rule that forgets .. lets /srv/.. through", () => {
    const yaml = `
version: "1"
tools:
  read_file:
    rules:
      - name: only under /srv
        conditions:
          - { path: args.path, op: regex, value: "^/srv/" }
`;
    const r = fuzz(yaml, ["read_file"], [forbid('args.path contains ".."')]);
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    const last = f.violation.outcomes.at(-1)!;
    expect(last.decision).toBe("allow");
    expect((last.args as { path: string }).path).toMatch(/^\/srv\/.*\.\./);
    expect(f.violation.expected).toBe("deny");
  }, FIVE_SECONDS);

  /*
   * Go compares a JSON number with a policy string as text, and a float64 of a million prints
   * as 1e+06. So `neq: "1000000"` (an account id written as a string, as ids usually are)
   * refuses the string "1000000" but lets the NUMBER 1000000 through: its text is "1e+06".
   * The opposite direction is safe: `lt 1000` is false for the string "5000", so it denies.
   */
  it("an id compared as text lets the same id through as a number", () => {
    const yaml = `
version: "1"
tools:
  transfer:
    rules:
      - name: never to the treasury
        conditions:
          - { path: args.to_account, op: neq, value: "1000000" }
`;
    const r = fuzz(yaml, ["transfer"], [forbid("args.to_account in [1000000, \"1000000\"]")]);
    expect(r.findings).toHaveLength(1);
    const last = r.findings[0]!.violation.outcomes.at(-1)!;
    expect(last).toMatchObject({ decision: "allow", args: { to_account: 1000000 } });
  }, FIVE_SECONDS);

  it("a numeric string does not slip past lt: it is denied, so there is nothing to find", () => {
    const yaml = `
version: "1"
tools:
  refund:
    rules:
      - name: small refunds
        conditions:
          - { path: args.amount, op: lt, value: 1000 }
`;
    const policy = policyOf(yaml);
    expect(decide(policy, { tool: "refund", args: { amount: "5000" }, session: "s" }, createCounterStore(), 0).decision).toBe("deny");
    const r = fuzz(yaml, ["refund"], [forbid("args.amount >= 1000")], { runs: 2000 });
    expect(r.findings).toEqual([]);
  }, FIVE_SECONDS);

  it("an unanchored regex meant to allow only letters lets a1 through", () => {
    const yaml = `
version: "1"
tools:
  create_user:
    rules:
      - name: letters only
        conditions:
          - { path: args.name, op: regex, value: "^[a-z]+" }
`;
    const r = fuzz(yaml, ["create_user"], [forbid('args.name regex "[^a-z]"')]);
    expect(r.findings).toHaveLength(1);
    const name = (r.findings[0]!.violation.outcomes.at(-1)!.args as { name: string }).name;
    expect(name).toMatch(/^[a-z]+[^a-z]/);
  }, FIVE_SECONDS);

  /*
   * Every operator but `exists` is false on a missing argument, so an `evaluate` rule with
   * `not_in` DENIES a call without the argument: no bypass there. And Intercept refuses
   * conditions on `deny` rules. The real hole is `require_approval`: its conditions say when
   * a human must look, and a false condition means "no need". `env not_in [dev, staging]`
   * is false when `env` is left out, so a deploy with no env (which the server runs in
   * production) goes through without approval.
   */
  it("an approval rule on not_in is skipped by leaving the argument out", () => {
    const yaml = `
version: "1"
tools:
  deploy:
    rules:
      - name: production needs a human
        action: require_approval
        conditions:
          - { path: args.env, op: not_in, value: ["dev", "staging"] }
`;
    const policy = policyOf(yaml);
    const d = (args: unknown) => decide(policy, { tool: "deploy", args, session: "s" }, createCounterStore(), 0).decision;
    expect(d({ env: "prod" })).toBe("approval");
    expect(d({ env: "dev" })).toBe("allow");
    const r = fuzz(yaml, ["deploy"], [forbid("args.env exists false")]);
    expect(r.findings).toHaveLength(1);
    const last = r.findings[0]!.violation.outcomes.at(-1)!;
    expect(last.decision).toBe("allow");
    expect(last.args).not.toHaveProperty("env");
  }, FIVE_SECONDS);

  it("a fixed-window rate limit lets a burst across the minute edge double it", () => {
    const r = fuzz(TEN_A_MINUTE, ["send_email"], [{ kind: "max_calls", tool: "send_email", max: 10, perMs: 60_000, source: "send_email 10/60s" }]);
    expect(r.findings).toHaveLength(1);
    const v = r.findings[0]!.violation;
    const allowed = v.outcomes.filter((o) => o.decision === "allow");
    expect(allowed.length).toBeGreaterThan(10);
    const last = v.outcomes.at(-1)!;
    const inSpan = allowed.filter((o) => o.t > last.t - 60_000);
    expect(inSpan.length).toBe(11);
    // The eleventh falls in the next minute: the window edge is between the first and the last.
    expect(Math.floor(inSpan[0]!.t / 60_000)).toBeLessThan(Math.floor(last.t / 60_000));
    expect(v.expected).toBe("throttle");
  }, FIVE_SECONDS);

  it("a rule of four conditions is met all at once: a negative amount with every other check passed goes through", () => {
    const yaml = `
version: "1"
tools:
  pay:
    rules:
      - name: checks
        conditions:
          - { path: args.amount, op: lte, value: 500 }
          - { path: args.currency, op: in, value: ["usd", "eur"] }
          - { path: args.account, op: regex, value: "^acct-[0-9]+$" }
          - { path: args.approved, op: eq, value: true }
`;
    // A few edits to an empty object reach at most three paths: this rule allowed nothing the fuzzer sent.
    const r = fuzz(yaml, ["pay"], [forbid("args.amount < 0")], { runs: 50_000 });
    expect(r.findings).toHaveLength(1);
    const last = r.findings[0]!.violation.outcomes.at(-1)!;
    expect(last.decision).toBe("allow");
    expect(last.args).toMatchObject({ currency: expect.stringMatching(/^(usd|eur)$/), account: expect.stringMatching(/^acct-[0-9]+$/) });
    expect((last.args as { amount: number }).amount).toBeLessThan(0);
  }, FIVE_SECONDS);

  it("a finding keeps only the calls that break its property: the burst's throttled calls and a harmless first call are dropped", () => {
    const yaml = `${TEN_A_MINUTE}      - name: internal only
        conditions:
          - { path: args.to, op: regex, value: "@corp[.]example$" }
`;
    const r = fuzz(yaml, ["send_email"], [
      { kind: "max_calls", tool: "send_email", max: 10, perMs: 60_000, source: "send_email 10/60s" },
      forbid('args.to contains ".."'),
    ], { seed: 1 });
    const byKind = new Map(r.findings.map((f) => [f.violation.kind, f]));
    // Eleven allowed calls within 60 s are the whole of the burst finding.
    const burst = byKind.get("max_calls")!.violation.outcomes;
    expect(burst.map((o) => o.decision)).toEqual(Array(11).fill("allow"));
    expect(byKind.get("max_calls")!.case.calls).toHaveLength(11);
    // One allowed call to an address with .. is the whole of the forbid finding.
    expect(byKind.get("forbid")!.case.calls).toHaveLength(1);
  }, FIVE_SECONDS);
});
