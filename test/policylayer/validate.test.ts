import { describe, expect, it } from "vitest";
import { detectDialect, loadPolicyText } from "../../src/policy/load.js";
import { diags, loadJson } from "./helpers.js";

/** `line:col` of the first `token` in `text` at or after `from`: where a diagnostic must point. */
function pos(text: string, token: string, from = ""): string {
  const start = from === "" ? 0 : text.indexOf(from);
  const i = text.indexOf(token, start);
  if (i < 0) throw new Error(`no ${token} in ${text}`);
  const before = text.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

const TOOL = (entry: string): string => `{\n  "version": "1",\n  "default": "deny",\n  "tools": {\n    "t": ${entry}\n  }\n}`;

describe("PolicyLayer validation", () => {
  it("the seed policies load without a diagnostic", () => {
    const seed = {
      version: "1", default: "deny",
      tools: { invoke_agent_runtime: { limits: [{ counter: "invoke_agent_runtime_rate", window: "minute", max: 10, scope: "grant" }] } },
    };
    expect(loadJson(seed).diagnostics).toEqual([]);
    expect(loadJson(seed).policy?.dialect).toBe("policylayer");
  });

  it("version must be the string 1", () => {
    const text = '{"version": 1, "default": "deny"}';
    expect(diags(text)).toEqual([`${pos(text, "1,")} error "version" must be "1" (a string, in quotes), got the number 1; write "version": "1"`]);
    expect(diags('{"version": "2", "default": "deny"}')[0]).toContain('"version" must be "1", got the string "2"');
  });

  it("version and default are required", () => {
    expect(diags("{}")).toEqual([
      '1:1 error the policy has no "version"; add "version": "1"',
      '1:1 error the policy has no "default"; add "default": "deny" (or "allow")',
    ]);
  });

  it("default must be allow or deny", () => {
    const text = '{"version": "1", "default": "block"}';
    expect(diags(text)).toEqual([`${pos(text, '"block"')} error "default" must be "allow" or "deny", got the string "block"`]);
  });

  it("a policy must be an object", () => {
    expect(diags("[1]")[0]).toBe('1:1 error a PolicyLayer policy must be a JSON object with "version", "default" and "tools", not a list');
  });

  it("hide and grants are lists of non-empty strings", () => {
    expect(diags('{"version": "1", "default": "allow", "hide": "x"}')[0]).toContain('"hide" must be a list, not the string "x"');
    const text = '{"version": "1", "default": "allow", "grants": ["a", ""]}';
    expect(diags(text)[0]).toBe(`${pos(text, '""')} error /grants/1 must be a non-empty string, not the string ""`);
  });

  it("an empty grants list is warned about", () => {
    expect(diags('{"version": "1", "default": "allow", "grants": []}')[0]).toContain('warning "grants" is empty');
  });

  it("unknown keys are warned about with a did-you-mean, at the key", () => {
    const top = '{"version": "1", "default": "allow", "tols": {}}';
    expect(diags(top)).toEqual([`${pos(top, '"tols"')} warning unknown key "tols" in the policy (ignored); did you mean "tools"?`]);
    const tool = TOOL('{"deny-if": []}');
    expect(diags(tool)).toEqual([`${pos(tool, '"deny-if"')} warning unknown key "deny-if" in /tools/t (ignored); did you mean "deny_if"?`]);
    const cond = TOOL('{"deny_if": [{"path": "args.a", "op": "eq", "value": 1, "vale": 2}]}');
    expect(diags(cond)).toEqual([`${pos(cond, '"vale"')} warning unknown key "vale" in /tools/t/deny_if/0 (ignored); did you mean "value"?`]);
  });

  it("a tool entry must be an object", () => {
    expect(diags(TOOL("true"))).toEqual(['5:10 error /tools/t must be an object, not boolean true; write {} (allowed), or {"limits": [...]}']);
    expect(diags(TOOL("null"))).toEqual(["5:10 error /tools/t is null; write {} to allow the tool"]);
  });

  describe("conditions share Intercept's operator and value checks", () => {
    it.each([
      ['{"path": "args.a", "op": "equals", "value": 1}', '"equals"', 'unknown operator "equals"; did you mean "eq"? use one of eq, neq'],
      ['{"path": "args.a", "op": "in", "value": "x"}', '"x"', 'operator "in" requires a list value, got the string "x"'],
      ['{"path": "args.a", "op": "lt", "value": "10"}', '"10"', 'operator "lt" requires a numeric value, got the string "10"; write 10 without quotes'],
      ['{"path": "args.a", "op": "exists", "value": 1}', "1}", 'operator "exists" requires a boolean value, got the number 1'],
      ['{"path": "args.a", "op": "regex", "value": "(?=x)"}', '"(?=x)"', 'invalid regex "(?=x)"'],
    ])("%s is refused at the offending value", (cond, token, expected) => {
      const text = TOOL(`{"require": [${cond}]}`);
      expect(diags(text)[0]).toContain(`${pos(text, token)} error /tools/t/require/0: ${expected}`);
    });

    it("a path must start with args. (no state paths: quotas are limits)", () => {
      const text = TOOL('{"deny_if": [{"path": "state.t.c", "op": "gt", "value": 1}]}');
      expect(diags(text)).toEqual([
        `${pos(text, '"state.t.c"')} error /tools/t/deny_if/0: path must start with "args.", got "state.t.c"; write args.<argument> (quotas are "limits", not conditions)`,
      ]);
    });

    it("path and op are required strings", () => {
      const noPath = TOOL('{"deny_if": [{"op": "gt", "value": 1}]}');
      expect(diags(noPath)).toEqual([
        `${pos(noPath, '{"op"')} error /tools/t/deny_if/0 has no "path"; write {"path": "args.amount", "op": "gt", "value": 100}`,
      ]);
      const listPath = TOOL('{"deny_if": [{"path": ["args.a"], "op": "gt", "value": 1}]}');
      expect(diags(listPath)[0]).toBe(`${pos(listPath, '["args.a"]')} error /tools/t/deny_if/0: "path" must be a string, not a list`);
    });

    it("an item must be an object", () => {
      const text = TOOL('{"deny_if": ["args.a > 1"]}');
      expect(diags(text)[0]).toBe(`${pos(text, '"args.a > 1"')} error /tools/t/deny_if/0 must be an object, not the string "args.a > 1"; write {"path": "args.amount", "op": "gt", "value": 100}`);
    });

    it("two items with the same path and op are warned about (they share a rule id)", () => {
      expect(diags(TOOL('{"deny_if": [{"path": "args.a", "op": "regex", "value": "x"}, {"path": "args.a", "op": "regex", "value": "y"}]}'))[0]).toContain(
        "warning /tools/t/deny_if/1 has the same path and op as /tools/t/deny_if/0, so both report the rule id /tools/t/deny_if/args.a-regex",
      );
    });
  });

  describe("limits", () => {
    const limit = (fields: string): string[] => diags(TOOL(`{"limits": [{${fields}}]}`));

    it("counter, window and max are required", () => {
      expect(limit("")).toEqual([
        '5:22 error /tools/t/limits/0 has no "counter"; write {"counter": "calls_per_minute", "window": "minute", "max": 30, "scope": "grant"}',
        '5:22 error /tools/t/limits/0 has no "window"; write "window": "minute" (one of minute, hour, day)',
        '5:22 error /tools/t/limits/0 has no "max"; write "max": 30 (calls allowed in a window)',
      ]);
    });
    it("window is minute, hour or day", () => {
      const text = TOOL('{"limits": [{"counter": "c", "window": "60s", "max": 1}]}');
      expect(diags(text)).toEqual([`${pos(text, '"60s"')} error /tools/t/limits/0: "window" must be one of "minute", "hour", "day", got the string "60s"`]);
    });
    it("max is a positive whole number", () => {
      expect(limit('"counter": "c", "window": "hour", "max": 0')[0]).toContain('"max" must be a positive whole number, got the number 0');
      expect(limit('"counter": "c", "window": "hour", "max": 2.5')[0]).toContain('"max" must be a positive whole number, got the number 2.5');
      expect(limit('"counter": "c", "window": "hour", "max": 1e3')[0]).toContain("got the number 1e3");
      expect(limit('"counter": "c", "window": "hour", "max": "30"')[0]).toContain("write 30 without quotes");
    });
    it("scope is grant or server", () => {
      expect(limit('"counter": "c", "window": "hour", "max": 1, "scope": "graant"')[0]).toContain('"scope" must be one of "grant", "server", got the string "graant"; did you mean "grant"?');
    });
    it("a counter name is used once per tool", () => {
      const text = TOOL('{"limits": [{"counter": "c", "window": "hour", "max": 1}, {"counter": "c", "window": "day", "max": 9}]}');
      expect(diags(text)).toEqual([`${pos(text, '"c"', '"max": 1}')} error /tools/t/limits/1: counter "c" is also used by /tools/t/limits/0; give each limit its own counter`]);
    });
  });

  it("all_tools takes only limits", () => {
    const text = '{"version": "1", "default": "allow", "all_tools": {"deny_if": []}}';
    expect(diags(text)).toEqual([
      `${pos(text, '"deny_if"')} error /all_tools/deny_if: "all_tools" takes only "limits" (in our reading of PolicyLayer); put "deny_if" under each tool in "tools"`,
    ]);
  });

  it("require_approval is a boolean", () => {
    const text = TOOL('{"require_approval": "yes"}');
    expect(diags(text)).toEqual([`${pos(text, '"yes"')} error /tools/t/require_approval must be true or false, not the string "yes"`]);
  });

  it("rules of a hidden tool are warned about", () => {
    expect(diags('{"version": "1", "default": "allow", "hide": ["t"], "tools": {"t": {"require_approval": true}}}')[0]).toContain('warning tool "t" is in "hide", so its rules never decide a call');
  });

  it("every error is reported, not just the first", () => {
    const d = loadJson('{"version": "2", "default": "x", "hide": [1]}');
    expect(d.policy).toBeNull();
    expect(d.diagnostics.filter((x) => x.severity === "error")).toHaveLength(3);
  });

  it("a JSON syntax error is one diagnostic at its place", () => {
    expect(diags('{\n  "version": "1",\n  "default": "deny",\n}')).toEqual([
      "4:1 error JSON syntax error: trailing comma before }; JSON allows no comma after the last member; remove it",
    ]);
  });
});

describe("dialect detection", () => {
  it("JSON with tools that are not {rules: [...]} is policylayer", () => {
    expect(detectDialect('{"version": "1", "default": "deny", "tools": {"a": {"limits": []}}}')).toBe("policylayer");
    expect(detectDialect('{"version": "1", "default": "deny", "tools": {"a": {}}}')).toBe("policylayer");
  });
  it("JSON with all_tools is policylayer", () => {
    expect(detectDialect('{"version": "1", "default": "allow", "all_tools": {"limits": []}}')).toBe("policylayer");
  });
  it("broken PolicyLayer JSON is still detected, so its syntax error is reported", () => {
    const text = '{"version": "1", "default": "deny", "tools": {"a": {},}}';
    expect(detectDialect(text)).toBe("policylayer");
    expect(loadPolicyText(text, "p.json").diagnostics[0]?.message).toContain("JSON syntax error: trailing comma");
  });
  it("broken PolicyLayer JSON whose typo is in the tools key itself is still detected, so it does not pass as YAML with the tools lost", () => {
    // YAML reads `"tools",: {` as a null `tools` and a tools map under the empty key: no shape, and validate said ok.
    const text = '{\n  "version": "1",\n  "default": "deny",\n  "tools",: {\n    "a": {"limits": []}\n  }\n}';
    expect(detectDialect(text)).toBe("policylayer");
    const loaded = loadPolicyText(text, "p.json");
    expect(loaded.policy).toBeNull();
    expect(loaded.diagnostics.map((x) => `${x.line}:${x.col} ${x.severity} ${x.message}`)).toEqual([
      '4:10 error JSON syntax error: expected ":" after the key "tools"; write "key": value',
    ]);
  });
  it("flow-style YAML without quoted keys stays Intercept when it does not parse as JSON", () => {
    expect(detectDialect('{version: "1", default: deny, tools: {a: {rules: []}}}')).toBe("intercept");
    expect(detectDialect('{version: "1", default: deny}')).toBe("intercept");
  });
  it("YAML and Intercept-shaped JSON are intercept", () => {
    expect(detectDialect('version: "1"\ntools: {}\n')).toBe("intercept");
    expect(detectDialect('{"version": "1", "tools": {"a": {"rules": []}}}')).toBe("intercept");
  });
  it("--dialect policylayer forces the JSON reading on YAML", () => {
    const d = loadPolicyText('version: "1"\ndefault: deny\n', "p.yaml", "policylayer").diagnostics;
    expect(d.map((x) => `${x.line}:${x.col} ${x.message}`)).toEqual(['1:1 JSON syntax error: unexpected character "v" where a value was expected; write a string in double quotes, a number, true, false, null, an object or a list']);
  });
  it("--dialect intercept on PolicyLayer JSON is an error saying what the file looks like, not a policy of unknown keys", () => {
    const loaded = loadPolicyText('{"version": "1", "default": "deny",\n "tools": {"a": {}}}', "p.json", "intercept");
    expect(loaded.policy).toBeNull();
    expect(loaded.diagnostics.map((x) => `${x.line}:${x.col} ${x.severity} ${x.message}`)).toEqual([
      "2:2 error this file looks like a PolicyLayer policy (it has `tools`), not the intercept dialect asked for; write --dialect policylayer, or leave --dialect out to detect it",
    ]);
  });
  it("--dialect intercept on YAML whose tool entries are empty stays Intercept (`tool: {}` lists a tool)", () => {
    const loaded = loadPolicyText('version: "1"\ntools:\n  a: {}\n', "p.yaml", "intercept");
    expect(loaded.policy?.dialect).toBe("intercept");
  });
});
