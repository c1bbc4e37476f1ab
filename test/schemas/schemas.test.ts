/**
 * The JSON Schemas in schemas/ against everything in the repository that is meant to be valid
 * (fixtures, scenarios, tapes, the examples in README.md and docs/spec/), against the
 * bad-input corpus where a schema can see the problem, and against the loaders on the rules
 * the schemas encode: where a schema and a loader disagree, the loader (which mirrors the
 * gateway) is right and the schema is the bug.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectDialect, loadPolicyText } from "../../src/policy/load.js";
import { loadScenarioFile, loadScenarioText } from "../../src/scenario/load.js";
import { ROOT } from "../cli/run-cli.js";
import { CORPUS } from "../helpers/corpus.js";
import { compileSchemas, explain, readYaml, SCHEMA_DIR, SCHEMA_FILES } from "./validators.js";

const v = compileSchemas();

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = join(dir, name);
    return statSync(join(ROOT, rel)).isDirectory() ? filesUnder(rel, ext) : ext.test(name) ? [rel] : [];
  }).sort();
}

const read = (rel: string): string => readFileSync(join(ROOT, rel), "utf8");

function policyValidator(text: string) {
  return detectDialect(text) === "policylayer" ? v.policylayer : v.intercept;
}

function policyDoc(text: string, file: string): unknown {
  if (file.endsWith(".json")) return JSON.parse(text) as unknown;
  const doc = readYaml(text);
  if (!doc) throw new Error(`${file} does not parse as YAML`);
  return doc.value;
}

/** Errors (not warnings) the loader reports for a policy text. */
function loaderErrors(text: string, file: string, dialect?: "intercept" | "policylayer"): string[] {
  return loadPolicyText(text, file, dialect).diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
}

describe("the schemas themselves", () => {
  it("are valid draft-07 schemas and compile in Ajv's strict mode", () => {
    expect(SCHEMA_FILES).toEqual([
      "condition.schema.json",
      "intercept-policy.schema.json",
      "policylayer-policy.schema.json",
      "results.schema.json",
      "scenario.schema.json",
      "tape-line.schema.json",
    ]);
    for (const f of SCHEMA_FILES) {
      const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, f), "utf8")) as object;
      expect(v.ajv.validateSchema(schema), `${f}: ${explain(v.ajv.errors)}`).toBe(true);
    }
  });

  it("describe every operator, action, window and decision an editor offers", () => {
    const ops = JSON.parse(readFileSync(join(SCHEMA_DIR, "condition.schema.json"), "utf8")) as { definitions: { op: { anyOf: { const: string; description?: string }[] } } };
    expect(ops.definitions.op.anyOf.map((o) => o.const)).toEqual(["eq", "neq", "in", "not_in", "lt", "lte", "gt", "gte", "regex", "contains", "exists"]);
    for (const o of ops.definitions.op.anyOf) expect(o.description, o.const).toMatch(/\w/);
  });
});

describe("everything in the repository that is meant to be valid validates", () => {
  const policies = [
    ...filesUnder("fixtures/policies", /\.(ya?ml|json)$/),
    ...filesUnder("test/diff/fixtures", /\.ya?ml$/),
    "test/bad-input/base/catastrophic-regex.yaml",
  ];

  it.each(policies)("policy %s", (file) => {
    const text = read(file);
    expect(loaderErrors(text, file), "the loader accepts it").toEqual([]);
    const validate = policyValidator(text);
    expect(validate(policyDoc(text, file)), explain(validate.errors)).toBe(true);
  });

  const scenarios = filesUnder("scenarios", /\.ya?ml$/);

  it.each(scenarios)("scenario %s (with its inline policies)", (file) => {
    expect(loadScenarioFile(join(ROOT, file)).length, "the loader accepts it").toBeGreaterThan(0);
    expect(v.scenario(readYaml(read(file))?.value), explain(v.scenario.errors)).toBe(true);
  });

  // fixtures/toolhive/audit.jsonl is a gateway's audit log (the import's input), not a tape.
  const tapes = [
    ...filesUnder("fixtures", /\.jsonl$/).filter((f) => f !== "fixtures/toolhive/audit.jsonl"),
    ...filesUnder("scenarios", /\.jsonl$/),
    ...filesUnder("test/diff/fixtures", /\.jsonl$/),
    "test/bad-input/base/good-tape.jsonl",
  ];

  it.each(tapes)("every line of tape %s", (file) => {
    const lines = read(file).split("\n").filter((l) => l.trim() !== "");
    expect(lines.length).toBeGreaterThan(1);
    lines.forEach((line, i) => {
      expect(v.tapeLine(JSON.parse(line)), `${file}:${i + 1}: ${explain(v.tapeLine.errors)}`).toBe(true);
    });
  });

  it("finds the repository's policies, scenarios and tapes (so the lists above cannot silently empty)", () => {
    expect(policies.length).toBeGreaterThanOrEqual(17);
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
    expect(tapes.length).toBeGreaterThanOrEqual(9);
  });

  it.skipIf(CORPUS === undefined)("the 53 policies Intercept ships (shared corpus, through MCPTAPE_CORPUS) validate, as the loader accepts them", () => {
    const files = readdirSync(CORPUS!).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(53);
    for (const f of files) {
      const text = readFileSync(join(CORPUS!, f), "utf8");
      expect(loaderErrors(text, f), f).toEqual([]);
      expect(v.intercept(readYaml(text)?.value), `${f}: ${explain(v.intercept.errors)}`).toBe(true);
    }
  });

  /** Fenced yaml/json blocks of the README and the spec that are policies or scenarios. */
  const examples = ["README.md", ...filesUnder("docs/spec", /\.md$/)].flatMap((file) =>
    [...read(file).matchAll(/^```(yaml|json)\n([\s\S]*?)^```/gm)].map((m, i) => ({ name: `${file} block ${i + 1} (${m[1]})`, text: m[2]! })),
  );

  const kindOf = (doc: Record<string, unknown>): "scenario" | "policy" | "other" =>
    "expect" in doc || "scenarios" in doc ? "scenario" : "tools" in doc || "version" in doc || "all_tools" in doc ? "policy" : "other";
  const checked = examples.filter((e) => kindOf(readYaml(e.text)?.value as Record<string, unknown>) !== "other");

  it.each(checked)("example $name", ({ text }) => {
    const doc = readYaml(text)?.value as Record<string, unknown>;
    const validate = kindOf(doc) === "scenario" ? v.scenario : policyValidator(text);
    expect(validate(doc), explain(validate.errors)).toBe(true);
  });

  it("finds the examples: a scenario in the README, scenario.md and the Cedar page, the catalogue and PolicyLayer pages' policies", () => {
    expect(checked.map((e) => e.name.split(" ")[0])).toEqual(["README.md", "docs/spec/dialect-catalog.md", "docs/spec/dialect-cedar.md", "docs/spec/dialect-policylayer.md", "docs/spec/scenario.md"]);
  });
});

/**
 * The bad-input corpus (test/bad-input/manifest.json): each file the loader refuses is either
 * refused by a schema too, or listed here with why a schema cannot see it.
 */
const YAML_ERRORS = [
  "policies/alias-bomb.yaml",
  "policies/duplicate-keys.yaml",
  "policies/duplicate-rule-keys.yaml",
  "policies/tabs.yaml",
  "policies/yaml-syntax.yaml",
  "scenarios/tabs.yaml",
];

const SCHEMA_CANNOT_SEE: Record<string, string> = {
  "policies/wrong-type-version.yaml": "`version: 1.0` is the number 1 to a YAML 1.2 reader; Go reads the text \"1.0\"",
  "policies/intercept-forced-policylayer.yaml": "a valid Intercept policy; only a forced --dialect policylayer makes it wrong",
  "policies/policylayer-forced-intercept.json": "a valid PolicyLayer policy; only a forced --dialect intercept makes it wrong",
  "scenarios/broken-tape.yaml": "the problem is in the tape it names",
  "scenarios/missing-policy-file.yaml": "whether a file exists",
  "scenarios/missing-tape.yaml": "whether a file exists",
  "scenarios/huge-offset.yaml": "offsets add up past the last date a clock can show",
  "tapes/answer-without-request.jsonl": "pairing of lines (the reader accepts it)",
  "tapes/blank-lines-only.jsonl": "a tape with no lines",
  "tapes/bom.jsonl": "bytes before the JSON (the reader warns)",
  "tapes/broken-json.jsonl": "not JSON",
  "tapes/crlf.jsonl": "line ends (the reader accepts them)",
  "tapes/cut-last-line.jsonl": "not JSON",
  "tapes/duplicate-seq.jsonl": "order across lines",
  "tapes/empty.jsonl": "a tape with no lines",
  "tapes/header-not-first.jsonl": "order across lines",
  "tapes/invalid-utf8.jsonl": "bytes, not JSON",
  "tapes/lines-after-end.jsonl": "order across lines",
  "tapes/no-end-line.jsonl": "order across lines (the reader warns)",
  "tapes/nul-bytes.jsonl": "not JSON",
  "tapes/proto-keys.jsonl": "valid (the reader accepts it)",
  "tapes/seq-goes-back.jsonl": "order across lines",
  "tapes/tools-call-odd-params.jsonl": "valid (the reader accepts it)",
  "tapes/trailing-garbage.jsonl": "not JSON",
  "tapes/two-headers.jsonl": "order across lines",
};

/** Whether a schema refuses the corpus file (for a tape: any of its JSON lines). */
function schemaRefuses(rel: string): boolean {
  const text = readFileSync(join(ROOT, "test/bad-input", rel), "utf8");
  if (rel.startsWith("tapes/")) {
    return text.split("\n").some((line) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return false;
      }
      return !v.tapeLine(value);
    });
  }
  if (rel.endsWith(".json")) return !v.policylayer(JSON.parse(text));
  const doc = readYaml(text);
  if (!doc) throw new Error(`${rel} does not parse as YAML`);
  return rel.startsWith("scenarios/") ? !v.scenario(doc.value) : !v.intercept(doc.value);
}

describe("the bad-input corpus", () => {
  const corpus = ["policies", "scenarios", "tapes"].flatMap((d) => readdirSync(join(ROOT, "test/bad-input", d)).map((f) => `${d}/${f}`)).sort();
  const caught = corpus.filter((f) => !YAML_ERRORS.includes(f) && !(f in SCHEMA_CANNOT_SEE));

  it("every file is caught by a schema, a YAML error, or listed with why no schema can see it", () => {
    for (const f of [...YAML_ERRORS, ...Object.keys(SCHEMA_CANNOT_SEE)]) expect(corpus, f).toContain(f);
    expect(caught.length).toBeGreaterThanOrEqual(80);
  });

  it.each(caught)("a schema refuses %s", (rel) => {
    expect(schemaRefuses(rel)).toBe(true);
  });

  it.each(YAML_ERRORS)("%s is a YAML error before any schema", (rel) => {
    expect(readYaml(readFileSync(join(ROOT, "test/bad-input", rel), "utf8"))).toBeUndefined();
  });

  // Pinned both ways: if a schema learns to see one, move it to the caught ones.
  it.each(Object.keys(SCHEMA_CANNOT_SEE))("no schema sees the problem of %s", (rel) => {
    expect(schemaRefuses(rel)).toBe(false);
  });
});

/**
 * Schema and loader on the rules of docs/spec/dialect-intercept.md ("Validation errors
 * Intercept reports", "Shorthand") and dialect-catalog.md. `valid`: what the spec says.
 */
const INTERCEPT_CASES: { name: string; valid: boolean; yaml: string }[] = [
  { name: "version as the number 1 (a string field: Go reads the text \"1\")", valid: true, yaml: "version: 1\ntools: {a: {rules: []}}" },
  { name: "version 2", valid: false, yaml: 'version: "2"\ntools: {a: {rules: []}}' },
  { name: "no version", valid: false, yaml: "tools: {a: {rules: []}}" },
  { name: "default other than allow/deny", valid: false, yaml: 'version: "1"\ndefault: block' },
  { name: "a rule name that is a number (read as its text)", valid: true, yaml: 'version: "1"\ntools: {a: {rules: [{name: 42, action: deny}]}}' },
  { name: "a rule without a name", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{action: deny}]}}' },
  { name: "an unknown action", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, action: block}]}}' },
  { name: "a deny rule with conditions", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, action: deny, conditions: [{path: args.x, op: eq, value: 1}]}]}}' },
  { name: "an evaluate rule without conditions", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r}]}}' },
  { name: "an evaluate rule with an empty condition list", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: []}]}}' },
  { name: "require_approval without conditions", valid: true, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, action: require_approval, approval_timeout: "1h30m"}]}}' },
  { name: "an approval_timeout that is not a Go duration", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, action: require_approval, approval_timeout: "30 minutes"}]}}' },
  { name: "the rate_limit shorthand", valid: true, yaml: 'version: "1"\ntools: {"*": {rules: [{name: r, rate_limit: 60/minute}]}}' },
  { name: "rate_limit beside action: allow (Intercept overwrites the action)", valid: true, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, action: allow, rate_limit: 5/hour}]}}' },
  { name: "rate_limit with a + sign (Go's Atoi takes it)", valid: true, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, rate_limit: +5/hour}]}}' },
  { name: "rate_limit of 0", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, rate_limit: 0/hour}]}}' },
  { name: "rate_limit per week", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, rate_limit: 5/week}]}}' },
  { name: "rate_limit with conditions", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, rate_limit: 5/hour, conditions: [{path: args.x, op: eq, value: 1}]}]}}' },
  { name: "rate_limit with state", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, rate_limit: 5/hour, state: {counter: c, window: hour}}]}}' },
  { name: "rate_limit with action deny", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, action: deny, rate_limit: 5/hour}]}}' },
  { name: "rate_limit with action require_approval", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, action: require_approval, rate_limit: 5/hour}]}}' },
  { name: "a counter with a window", valid: true, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: state.a.c, op: lte, value: 5}], state: {counter: c, window: day, increment_from: args.n}}]}}' },
  { name: "a counter without a window", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: state.a.c, op: lte, value: 5}], state: {counter: c}}]}}' },
  { name: "increment_from outside args.", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: state.a.c, op: lte, value: 5}], state: {counter: c, window: day, increment_from: n}}]}}' },
  { name: "a path outside args. and state.", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: x, op: eq, value: 1}]}]}}' },
  { name: "in with a single value", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: args.x, op: in, value: a}]}]}}' },
  { name: "lt with a quoted number", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: args.x, op: lt, value: "100"}]}]}}' },
  { name: "exists with a string", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: args.x, op: exists, value: "yes"}]}]}}' },
  { name: "regex with a number", valid: false, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: args.x, op: regex, value: 5}]}]}}' },
  { name: "regex with an escaped backslash before a digit (not a backreference)", valid: true, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: args.x, op: regex, value: "^C:\\\\\\\\1"}]}]}}' },
  { name: "eq with any value, or none (null)", valid: true, yaml: 'version: "1"\ntools: {a: {rules: [{name: r, conditions: [{path: args.x, op: eq, value: [1, {b: 2}]}, {path: args.y, op: neq}]}]}}' },
  { name: "a duplicate hide entry", valid: false, yaml: 'version: "1"\nhide: [a, a]' },
  { name: "a blank hide entry", valid: false, yaml: 'version: "1"\nhide: ["  "]' },
  { name: "a tool with nothing after it (listed, no rules)", valid: true, yaml: 'version: "1"\ndefault: deny\ntools:\n  a:\n' },
  { name: "approvals with a webhook", valid: true, yaml: 'version: "1"\napprovals: {dedupe_window: 10m, notify: {webhook: {url: "https://example.test/hook"}}}' },
  { name: "catalogue form without version", valid: true, yaml: "tools: {a: {rules: [{action: allow, rate_limit: {max: 30, window: 60}}]}}" },
  { name: "catalogue form: an unnamed rule in a file with a catalogue rule", valid: true, yaml: 'version: "1"\ntools: {a: {rules: [{action: allow}]}, b: {rules: [{conditions: [{path: args.x, op: eq, value: 1}]}]}}' },
  { name: "catalogue form: deny with a rate_limit", valid: false, yaml: "tools: {a: {rules: [{action: deny, reason: no, rate_limit: {max: 1, window: 60}}]}}" },
  { name: "catalogue form: a rate_limit text in an unnamed rule", valid: false, yaml: "tools: {a: {rules: [{action: allow}, {rate_limit: 5/minute}]}}" },
  { name: "catalogue form: a window of 0 seconds", valid: false, yaml: "tools: {a: {rules: [{rate_limit: {max: 1, window: 0}}]}}" },
];

const POLICYLAYER_CASES: { name: string; valid: boolean; json: unknown }[] = [
  { name: "the spec's example", valid: true, json: { version: "1", default: "deny", hide: ["x"], all_tools: { limits: [] }, tools: { a: {}, b: { limits: [{ counter: "c", window: "minute", max: 10, scope: "grant" }], require_approval: true } } } },
  { name: "version as a number", valid: false, json: { version: 1, default: "deny" } },
  { name: "no default", valid: false, json: { version: "1", tools: {} } },
  { name: "a null tool", valid: false, json: { version: "1", default: "deny", tools: { a: null } } },
  { name: "a state. path", valid: false, json: { version: "1", default: "deny", tools: { a: { require: [{ path: "state.a.c", op: "lt", value: 1 }] } } } },
  { name: "deny_if with not_in and a list", valid: true, json: { version: "1", default: "allow", tools: { a: { deny_if: [{ path: "args.c", op: "not_in", value: ["usd"] }] } } } },
  { name: "a limit without max", valid: false, json: { version: "1", default: "deny", tools: { a: { limits: [{ counter: "c", window: "hour" }] } } } },
  { name: "a limit with max 0", valid: false, json: { version: "1", default: "deny", tools: { a: { limits: [{ counter: "c", window: "hour", max: 0 }] } } } },
  { name: "a limit scope other than grant/server", valid: false, json: { version: "1", default: "deny", tools: { a: { limits: [{ counter: "c", window: "hour", max: 1, scope: "user" }] } } } },
  { name: "require_approval as text", valid: false, json: { version: "1", default: "deny", tools: { a: { require_approval: "yes" } } } },
  { name: "all_tools with deny_if", valid: false, json: { version: "1", default: "deny", all_tools: { deny_if: [] } } },
  { name: "an empty grant name", valid: false, json: { version: "1", default: "deny", grants: [""] } },
];

const SCENARIO_CASES: { name: string; valid: boolean; yaml: string }[] = [
  { name: "inline calls and a summary", valid: true, yaml: "policy: {version: '1', tools: {a: {rules: []}}}\ncalls: [{tool: a, t: '+1m30s'}, {tool: a, t: '2026-01-01T10:00:00+02:00', outcome: isError}]\nexpect: {summary: {allow: 2}}" },
  { name: "an inline PolicyLayer policy", valid: true, yaml: "policy: {version: '1', default: deny, tools: {a: {}}}\ncalls: [{tool: a}]\nexpect: {calls: [{tool: a, nth: 1, decision: allow}]}" },
  { name: "no policy", valid: false, yaml: "calls: [{tool: a}]\nexpect: {summary: {allow: 1}}" },
  { name: "no calls and no tapes", valid: false, yaml: "policy: {version: '1'}\ncalls: []\nexpect: {summary: {allow: 0}}" },
  { name: "nothing expected", valid: false, yaml: "policy: {version: '1'}\ncalls: [{tool: a}]\nexpect: {}" },
  { name: "an expectation that checks nothing", valid: false, yaml: "policy: {version: '1'}\ncalls: [{tool: a}]\nexpect: {calls: [{call: 1}]}" },
  { name: "an expectation with call and nth", valid: false, yaml: "policy: {version: '1'}\ncalls: [{tool: a}]\nexpect: {calls: [{call: 1, nth: 1, decision: allow}]}" },
  { name: "an unknown summary key", valid: false, yaml: "policy: {version: '1'}\ncalls: [{tool: a}]\nexpect: {summary: {allowed: 1}}" },
  { name: "a time without a zone", valid: false, yaml: "policy: {version: '1'}\ncalls: [{tool: a, t: '2026-01-01T10:00:00'}]\nexpect: {summary: {allow: 1}}" },
  { name: "an unknown rollbackOn", valid: false, yaml: "policy: {version: '1'}\noptions: {rollbackOn: always}\ncalls: [{tool: a}]\nexpect: {summary: {allow: 1}}" },
  { name: "a list sharing the policy", valid: true, yaml: "policy: {version: '1', tools: {a: {rules: []}}}\nscenarios:\n  - {name: one, calls: [{tool: a}], expect: {summary: {allow: 1}}}\n  - {name: two, calls: [{tool: b}], expect: {summary: {allow: 1}}}" },
  { name: "a list whose scenario has no policy anywhere", valid: false, yaml: "scenarios:\n  - {name: one, calls: [{tool: a}], expect: {summary: {allow: 1}}}" },
  { name: "an empty list", valid: false, yaml: "policy: {version: '1'}\nscenarios: []" },
];

describe("schema and loader agree on the rules the schemas encode", () => {
  it.each(INTERCEPT_CASES)("Intercept: $name", ({ yaml, valid }) => {
    expect(loaderErrors(yaml, "case.yaml", "intercept").length === 0, "loader").toBe(valid);
    expect(v.intercept(readYaml(yaml)?.value), `schema: ${explain(v.intercept.errors)}`).toBe(valid);
  });

  it.each(POLICYLAYER_CASES)("PolicyLayer: $name", ({ json, valid }) => {
    const text = JSON.stringify(json);
    expect(loaderErrors(text, "case.json", "policylayer").length === 0, "loader").toBe(valid);
    expect(v.policylayer(json), `schema: ${explain(v.policylayer.errors)}`).toBe(valid);
  });

  it.each(SCENARIO_CASES)("scenario: $name", ({ yaml, valid }) => {
    // Inline policies and calls only: the loader needs no files.
    let loaderValid = true;
    try {
      loadScenarioText(yaml, join(ROOT, "case.yaml"));
    } catch {
      loaderValid = false;
    }
    expect(loaderValid, "loader").toBe(valid);
    expect(v.scenario(readYaml(yaml)?.value), `schema: ${explain(v.scenario.errors)}`).toBe(valid);
  });

  // Stricter by design: each is a typo the gateway would swallow, which an editor should flag.
  it("an unknown key: the loader warns (the gateway ignores it), the schema refuses it so an editor flags the typo", () => {
    const yaml = 'version: "1"\ntools: {a: {rules: [{name: r, action: deny, on_deney: no}]}}';
    const loaded = loadPolicyText(yaml, "case.yaml", "intercept");
    expect(loaded.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual([expect.stringMatching(/^warning: unknown key `on_deney`.*did you mean `on_deny`/)]);
    expect(v.intercept(readYaml(yaml)?.value)).toBe(false);
    expect(explain(v.intercept.errors)).toContain("must NOT have additional properties");
  });

  it("an unknown action beside a rate_limit text: Intercept overwrites it (the loader accepts, silently), the schema refuses it", () => {
    const yaml = 'version: "1"\ntools: {a: {rules: [{name: r, action: alow, rate_limit: 5/hour}]}}';
    expect(loadPolicyText(yaml, "case.yaml", "intercept").diagnostics).toEqual([]);
    expect(v.intercept(readYaml(yaml)?.value)).toBe(false);
  });
});
