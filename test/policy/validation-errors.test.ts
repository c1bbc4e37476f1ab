import { describe, expect, it } from "vitest";
import { diags, load, withRules } from "./helpers.js";

/** The single error of a policy, as `line:col message`. */
function onlyError(yaml: string): string {
  const errors = load(yaml).diagnostics.filter((d) => d.severity === "error");
  expect(errors, JSON.stringify(errors)).toHaveLength(1);
  return `${errors[0]!.line}:${errors[0]!.col} ${errors[0]!.message}`;
}

describe("Intercept validation errors, each at its node", () => {
  it("version 2 is refused at the version value", () => {
    expect(onlyError('version: "2"\ntools: {}\n')).toBe('1:10 version must be "1", got "2"; write version: "1"');
  });

  it("version 1 written as a YAML number is accepted, as Go reads it as the string 1", () => {
    expect(load("version: 1\ntools: {}\n").diagnostics).toEqual([]);
  });

  it("version 1.0 is refused: Go reads the text 1.0", () => {
    expect(onlyError("version: 1.0\n")).toMatch(/^1:10 version must be "1", got "1.0"/);
  });

  it("a missing version is refused at the top of the file", () => {
    expect(onlyError("tools: {}\n")).toMatch(/^1:1 version must be "1", got ""/);
  });

  it("default other than allow or deny is refused", () => {
    expect(onlyError('version: "1"\ndefault: block\n')).toBe('2:10 default must be "allow" or "deny", got "block"');
  });

  it("a rule without a name is refused at the rule", () => {
    expect(onlyError(withRules("- action: deny"))).toBe('5:9 tools.t.rules[0]: rule must have a name; add name: "<what this rule does>"');
  });

  it("an unknown action is refused with a suggestion", () => {
    expect(onlyError(withRules("- name: r\n  action: deni"))).toMatch(/^6:17 tools.t.rules\[0\]: action must be "evaluate" or "deny" \(or "require_approval"\), got "deni"; did you mean "deny"\?/);
  });

  it("action allow is refused in an Intercept file without catalogue signals... it is the catalogue form", () => {
    // action: allow marks the catalogue form, which loads with a warning instead.
    const d = load(withRules("- action: allow")).diagnostics;
    expect(d.map((x) => x.severity)).toEqual(["warning"]);
  });

  it("a deny rule with conditions is refused at the conditions", () => {
    expect(onlyError(withRules("- name: r\n  action: deny\n  conditions:\n    - {path: args.a, op: eq, value: 1}"))).toBe(
      "8:11 tools.t.rules[0]: deny rules must not have conditions; use an evaluate rule whose conditions describe the calls to allow",
    );
  });

  it("an evaluate rule with no condition is refused", () => {
    expect(onlyError(withRules("- name: r"))).toMatch(/^5:9 tools.t.rules\[0\]: evaluate rules must have at least one condition/);
  });

  it("a condition path not starting args. or state. is refused at the path", () => {
    expect(onlyError(withRules("- name: r\n  conditions:\n    - {path: amount, op: eq, value: 1}"))).toMatch(
      /^7:20 tools.t.rules\[0\].conditions\[0\]: path must start with "args." or "state.", got "amount"/,
    );
  });

  it("an unknown operator is refused with a suggestion", () => {
    expect(onlyError(withRules("- name: r\n  conditions:\n    - {path: args.a, op: equals, value: 1}"))).toMatch(
      /^7:32 .*unknown operator "equals"; did you mean "eq"\?/,
    );
  });

  it("in with a non-list value is refused at the value", () => {
    expect(onlyError(withRules("- name: r\n  conditions:\n    - {path: args.a, op: in, value: x}"))).toMatch(/^7:43 .*operator "in" requires a list value/);
  });

  it("not_in without a value is refused", () => {
    expect(onlyError(withRules("- name: r\n  conditions:\n    - {path: args.a, op: not_in}"))).toMatch(/operator "not_in" requires a list value, got no value/);
  });

  it("lt with a quoted number is refused and told to drop the quotes", () => {
    expect(onlyError(withRules("- name: r\n  conditions:\n    - {path: args.a, op: lt, value: \"10\"}"))).toMatch(
      /^7:43 .*operator "lt" requires a numeric value, got the string "10"; write 10 without quotes/,
    );
  });

  it("lt with .nan or .inf is accepted: yaml.v3 reads them as float64, a number to Go", () => {
    for (const v of [".nan", ".inf", "-.Inf"]) expect(load(withRules(`- name: r\n  conditions: [{path: args.a, op: lt, value: ${v}}]`)).policy, v).not.toBeNull();
  });

  it("exists with a non-boolean is refused", () => {
    expect(onlyError(withRules("- name: r\n  conditions:\n    - {path: args.a, op: exists, value: 1}"))).toMatch(/^7:47 .*operator "exists" requires a boolean value/);
  });

  it("regex with a number value is refused", () => {
    expect(onlyError(withRules("- name: r\n  conditions:\n    - {path: args.a, op: regex, value: 5}"))).toMatch(/^7:46 .*regex value must be a string/);
  });

  it("a regex Go cannot compile (lookahead) is refused with Go's error", () => {
    expect(onlyError(withRules("- name: r\n  conditions:\n    - {path: args.a, op: regex, value: \"a(?=b)\"}"))).toMatch(
      /^7:46 .*invalid regex "a\(\?=b\)": error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`/,
    );
  });

  it("a state block with an empty counter is refused", () => {
    expect(onlyError(withRules("- name: r\n  action: deny\n  state: {counter: \"\", window: hour}"))).toMatch(/^7:26 .*state: counter must not be empty/);
  });

  it("a state window other than minute/hour/day is refused at the window", () => {
    expect(onlyError(withRules("- name: r\n  action: deny\n  state: {counter: c, window: week}"))).toMatch(/^7:37 .*state: window must be "minute", "hour", or "day", got "week"/);
  });

  it("increment_from not starting args. is refused", () => {
    expect(onlyError(withRules("- name: r\n  action: deny\n  state: {counter: c, window: hour, increment_from: amount}"))).toMatch(
      /^7:59 .*increment_from must start with "args.", got "amount"/,
    );
  });

  it("a state condition naming a counter no rule of that tool defines is refused", () => {
    expect(onlyError(withRules("- name: r\n  conditions:\n    - {path: state.t.spend, op: lte, value: 5}"))).toMatch(
      /^7:13 tools.t.rules\[0\]: condition references state.t.spend but no matching state block found/,
    );
  });

  it("a state._global condition is satisfied by a counter of the \"*\" rules", () => {
    const yaml = `version: "1"\ntools:\n  t:\n    rules:\n      - name: r\n        conditions: [{path: state._global._rate_hour, op: lte, value: 100}]\n  "*":\n    rules:\n      - name: g\n        rate_limit: 100/hour\n`;
    expect(load(yaml).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("two rules of one tool with the same counter are refused at the second counter", () => {
    expect(onlyError(withRules("- name: a\n  rate_limit: 5/minute\n- name: b\n  rate_limit: 9/minute"))).toMatch(
      /^8:21 tools.t.rules\[1\]: duplicate state counter "_rate_minute" \(also used by rules\[0\]\)/,
    );
  });

  it("a rate_limit not in N/window form is refused", () => {
    expect(onlyError(withRules("- name: r\n  rate_limit: ten"))).toMatch(/^6:21 .*rate_limit must be in the format "N\/window"/);
  });

  it("a rate_limit count beyond int64 is refused, as Go's Atoi refuses it", () => {
    expect(onlyError(withRules("- name: r\n  rate_limit: 9223372036854775808/minute"))).toMatch(
      /rate_limit count must be a positive integer, got "9223372036854775808"/,
    );
    expect(load(withRules("- name: r\n  rate_limit: 9223372036854775807/minute")).policy).not.toBeNull();
  });

  it("a rate_limit with a zero count is refused", () => {
    expect(onlyError(withRules("- name: r\n  rate_limit: 0/hour"))).toMatch(/rate_limit count must be a positive integer, got "0"/);
  });

  it("a rate_limit with an unknown window is refused", () => {
    expect(onlyError(withRules("- name: r\n  rate_limit: 5/week"))).toMatch(/rate_limit window must be "minute", "hour", or "day", got "week"/);
  });

  it("rate_limit combined with conditions is refused", () => {
    expect(onlyError(withRules("- name: r\n  rate_limit: 5/hour\n  conditions: [{path: args.a, op: eq, value: 1}]"))).toMatch(
      /^6:21 .*rate_limit cannot be combined with conditions or state/,
    );
  });

  it("rate_limit with action deny is refused", () => {
    expect(onlyError(withRules("- name: r\n  action: deny\n  rate_limit: 5/hour"))).toMatch(/^7:21 .*rate_limit cannot be used with action "deny"/);
  });

  it("duplicate and empty hide entries are refused", () => {
    expect(diags('version: "1"\nhide: [a, a, ""]\n')).toEqual([
      '2:11 error hide: duplicate entry "a"; remove one',
      '2:14 error hide[2]: entry must not be empty; write a tool name or "*"',
    ]);
  });

  it("every error of a file is reported, not the first", () => {
    const errors = load('version: "2"\ndefault: x\n' + withRules("- action: nope").replace('version: "1"\n', "")).diagnostics.filter((d) => d.severity === "error");
    expect(errors.length).toBe(4);
  });
});

describe("a mapping or list as a key", () => {
  // Intercept decodes its file with yaml.v3 into structs; decode.go's mappingStruct reads each
  // key into a string field name, a mapping or list cannot be one (a type error), and
  // yaml.Unmarshal returns it: internal/config/config.go's Load refuses the file.
  it.each([
    ['version: "1"\n? {x: 1}\n: 2\n', "2:3 a key in the policy must be a single value, not a mapping"],
    [withRules("- name: r\n  action: deny\n  ? [a]\n  : 1"), "7:11 a key in rule tools.t.rules[0] must be a single value, not a list"],
  ])("of one of Intercept's structs is an error, as yaml.v3 refuses it: %j", (yaml, expected) => {
    expect(onlyError(yaml).slice(0, expected.length)).toBe(expected);
  });
});

describe("wrong types are errors with positions, never crashes", () => {
  it.each([
    ['version: "1"\ntools: 5\n', "2:8 `tools` must be a mapping, not the number 5"],
    ['version: "1"\ntools:\n  t:\n    rules: "x"\n', '4:12 tools.t.rules must be a list, not the string "x"'],
    [withRules("- name: r\n  conditions: {}"), "6:21 tools.t.rules[0].conditions must be a list, not a mapping"],
    [withRules("- just a string"), 'rule tools.t.rules[0] must be a mapping, not the string "just a string"'],
    [withRules("- name: [a, b]\n  action: deny"), "5:15 rule `name` must be a single value, not a list"],
    ['version: "1"\nhide: x\n', '2:7 `hide` must be a list, not the string "x"'],
    ["- a\n- b\n", "1:1 a policy must be a mapping with version, default and tools, not a list"],
    [withRules("- name: r\n  action: deny\n  state: 3"), "7:16 tools.t.rules[0].state must be a mapping, not the number 3"],
  ])("%j", (yaml, expected) => {
    const errors = diags(yaml).filter((d) => d.includes(" error "));
    expect(errors.some((e) => e.replace(" error ", " ").includes(expected)), errors.join("\n")).toBe(true);
  });
});
