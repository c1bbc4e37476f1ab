import { describe, expect, it } from "vitest";
import { load } from "./helpers.js";

const SEED = `tools:
  create_support_case:
    rules:
      - action: allow
        rate_limit:
          max: 30
          window: 60
  delete_everything:
    rules:
      - action: deny
        reason: "Bulk deletion is not permitted"
  odd_window:
    rules:
      - action: allow
        rate_limit: {max: 3, window: 90}
`;

describe("the catalogue form", () => {
  const { policy, diagnostics } = load(`version: "1"\n${SEED}`);

  it("loads with per-session counters of window seconds and max calls", () => {
    const rule = policy!.tools.get("create_support_case")!.rules[0]!;
    expect(rule.action).toBe("evaluate");
    expect(rule.counter).toEqual({
      scope: "create_support_case", counter: "_rate_60s", window: { kind: "seconds", seconds: 60 },
      keying: "session", increment: 1, limit: 30,
    });
    expect(rule.limitMessage).toBe("Rate limit of 30 per 60 seconds reached. Try again later.");
    expect(rule.id).toBe("tools.create_support_case.rules[0]");
  });

  it("a deny rule denies with its reason", () => {
    const rule = policy!.tools.get("delete_everything")!.rules[0]!;
    expect(rule.action).toBe("deny");
    expect(rule.denyMessage).toBe("Bulk deletion is not permitted");
  });

  it("warns at each rule that Intercept would refuse it, with the equivalent Intercept rule", () => {
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.message}`)).toEqual([
      '5:9 warning tools.create_support_case.rules[0]: catalogue form (action allow/deny, rate_limit {max, window}, reason): Intercept would refuse this file; mcptape loads it with per-session counters. Intercept equivalent: {name: "create_support_case rate limit", rate_limit: 30/minute} (Intercept counts the calls of the whole gateway, not of one session)',
      '11:9 warning tools.delete_everything.rules[0]: catalogue form (action allow/deny, rate_limit {max, window}, reason): Intercept would refuse this file; mcptape loads it with per-session counters. Intercept equivalent: {name: "deny", action: deny, on_deny: "Bulk deletion is not permitted"}',
      "15:9 warning tools.odd_window.rules[0]: catalogue form (action allow/deny, rate_limit {max, window}, reason): Intercept would refuse this file; mcptape loads it with per-session counters. There is no Intercept equivalent: its windows are a minute, an hour or a day (60, 3600 or 86400 seconds), not 90 seconds",
    ]);
  });

  it("the seed form without a version loads (with the catalogue warnings)", () => {
    const r = load(SEED);
    expect(r.policy).not.toBeNull();
    expect(r.diagnostics.every((d) => d.severity === "warning")).toBe(true);
  });

  it("a non-positive max is an error at the max", () => {
    const d = load('version: "1"\ntools:\n  t:\n    rules:\n      - action: allow\n        rate_limit: {max: 0, window: 60}\n').diagnostics;
    expect(d.filter((x) => x.severity === "error").map((x) => `${x.line}:${x.col} ${x.message}`)).toEqual([
      "6:27 tools.t.rules[0].rate_limit: max must be a positive whole number of calls; write e.g. max: 30",
    ]);
  });
});
