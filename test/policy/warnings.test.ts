import { describe, expect, it } from "vitest";
import { diags, load, withRules } from "./helpers.js";

function warnings(yaml: string): string[] {
  return diags(yaml).filter((d) => d.includes(" warning "));
}

describe("warnings", () => {
  it("an unknown rule key is named with the nearest known key", () => {
    expect(warnings(withRules("- name: r\n  action: deny\n  on_deney: no"))).toEqual([
      "7:9 warning unknown key `on_deney` in rule tools.t.rules[0] (Intercept ignores it); did you mean `on_deny`?",
    ]);
  });

  it("an unknown top-level key far from any known key lists the known keys", () => {
    expect(warnings('version: "1"\nzzzzzzzz: 1\n')[0]).toMatch(/^2:1 warning unknown key `zzzzzzzz` in the policy .*known keys here: `version`/);
  });

  it("unknown keys are found in conditions and state blocks too", () => {
    const w = warnings(withRules("- name: r\n  conditions: [{path: args.a, op: eq, valeu: 1}]\n  state: {counter: c, window: hour, incremnt: 2}"));
    expect(w.map((x) => x.replace(/ \(Intercept.*did you mean/, " did you mean"))).toEqual([
      "6:45 warning unknown key `valeu` in condition tools.t.rules[0].conditions[0] did you mean `value`?",
      "7:16 warning tools.t.rules[0]: counter \"c\" has no lt/lte condition on state.t.c in the same rule, so Intercept never increments it and any check on it always sees 0; add {path: state.t.c, op: lte, value: N} to this rule",
      "7:43 warning unknown key `incremnt` in tools.t.rules[0].state did you mean `increment`?",
    ]);
  });

  it("an unquoted date compared with eq or in is named: Intercept reads a time.Time, which no argument equals", () => {
    expect(warnings(withRules("- name: r\n  conditions: [{path: args.d, op: in, value: [2026-01-31, x]}]"))).toEqual([
      '6:53 warning tools.t.rules[0].conditions[0]: 2026-01-31 is a date to Intercept (Go\'s yaml.v3 reads an unquoted date or time as a time.Time, compared as "2026-01-31 00:00:00 +0000 UTC"), so no argument ever equals it; quote it, "2026-01-31", to compare the text',
    ]);
    expect(warnings(withRules('- name: r\n  conditions: [{path: args.d, op: eq, value: "2026-01-31"}]'))).toEqual([]);
  });

  // Go's yaml.Unmarshal parses one document (yaml.go, unmarshal: p.parse() returns the first
  // document node), so Intercept decides by the first and never reads what follows.
  it("a second YAML document is ignored, as Intercept ignores it, with a warning at its start", () => {
    const text = 'version: "1"\ntools:\n  t:\n    rules:\n      - name: r\n        action: deny\n---\nversion: "2"\ntools: [not, valid: {\n';
    const loaded = load(text);
    expect(loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.severity}`)).toEqual(["7:1 warning"]);
    expect(loaded.diagnostics[0]!.message).toMatch(/^a second YAML document starts here: Intercept reads only the first document/);
    expect(loaded.policy!.tools.get("t")!.rules.map((r) => r.id)).toEqual(["r"]);
  });

  // yaml.v3's mapping (decode.go) reads each key into the map's key type first; a null cannot be
  // a string, so the entry is skipped and its value never read: no tool, no check of its rules.
  it("a null tool name drops its entry unchecked, as Intercept's YAML decoding does", () => {
    const loaded = load('version: "1"\ntools:\n  ~:\n    rules:\n      - action: nonsense\n  t:\n    rules: []\n');
    expect(loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.severity}`)).toEqual(["3:3 warning"]);
    expect(loaded.diagnostics[0]!.message).toMatch(/^a tool name that is null .*Intercept drops this entry/);
    expect([...loaded.policy!.tools.keys()]).toEqual(["t"]);
  });

  it("a rule after an unconditional deny can never fire", () => {
    expect(warnings(withRules("- name: stop\n  action: deny\n- name: later\n  rate_limit: 5/hour"))).toEqual([
      '7:9 warning tools.t.rules[1]: rule "later" can never decide a call: rule "stop" above it denies every call of t; move it above that rule or remove it',
    ]);
  });

  it("a wildcard rule after an unconditional wildcard deny can never fire", () => {
    const yaml = `version: "1"\ntools:\n  "*":\n    rules:\n      - {name: stop, action: deny}\n      - {name: g, rate_limit: 5/hour}\n`;
    expect(warnings(yaml)[0]).toMatch(/^6:9 warning tools.\*.rules\[1\]: rule "g" can never decide a call: rule "stop" above it denies every call of every tool/);
  });

  it("default deny with only wildcard rules denies everything before the wildcard runs", () => {
    const yaml = `version: "1"\ndefault: deny\ntools:\n  "*":\n    rules:\n      - {name: g, rate_limit: 5/hour}\n`;
    expect(warnings(yaml)).toEqual([
      '4:3 warning default: deny with no tool listed denies every call before the "*" rules run; list the allowed tools under tools',
    ]);
  });

  it("rules of a hidden tool never run", () => {
    expect(warnings(withRules("- {name: r, rate_limit: 5/hour}", "hide: [t]\n"))[0]).toMatch(/^4:3 warning tool t is in hide, so its rules never run/);
  });

  it("a counter with only a gt check is never incremented by Intercept", () => {
    const w = warnings(withRules("- name: r\n  conditions: [{path: state.t.n, op: gt, value: 3}]\n  state: {counter: n, window: day}"));
    expect(w).toEqual([
      '7:16 warning tools.t.rules[0]: counter "n" has no lt/lte condition on state.t.n in the same rule, so Intercept never increments it and any check on it always sees 0; add {path: state.t.n, op: lte, value: N} to this rule',
    ]);
  });

  it("a regex with an inline flag is flagged as different in JavaScript", () => {
    expect(warnings(withRules('- name: r\n  conditions: [{path: args.a, op: regex, value: "(?i)^abc"}]'))).toEqual([
      '6:55 warning tools.t.rules[0].conditions[0]: regex "(?i)^abc" behaves differently in JavaScript: it uses inline flags like (?i), which JavaScript does not have; the gateway uses Go RE2, so test it with Go syntax',
    ]);
  });

  it("an integer beyond 2^53 warns that it loses precision", () => {
    expect(warnings(withRules("- name: r\n  conditions: [{path: args.id, op: eq, value: 9007199254740993}]"))[0]).toMatch(
      /^6:53 warning .*number 9007199254740993 is larger than 2\^53/,
    );
  });

  it("an integer beyond int64 warns that Intercept does not read it as this integer", () => {
    expect(warnings(withRules("- name: r\n  conditions: [{path: args.id, op: eq, value: 99999999999999999999}]"))[0]).toMatch(/outside Go's int64/);
  });

  it("a state path naming no counter warns that it always reads 0", () => {
    expect(warnings(withRules("- name: r\n  conditions: [{path: state.t, op: lte, value: 5}]"))).toEqual([
      expect.stringMatching(/path "state.t" names no counter: Intercept reads it as a counter that is never set, so it is always 0/),
    ]);
  });

  it("a clean policy has no warnings", () => {
    expect(load(withRules("- {name: r, rate_limit: 5/hour}")).diagnostics).toEqual([]);
  });
});
