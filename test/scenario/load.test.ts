import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { loadScenarioFile, loadScenarioText } from "../../src/scenario/load.js";
import { LIMITS_POLICY, POLICIES, writeFiles } from "./helpers.js";
import { inputErrorOf } from "../helpers/input-error.js";

const POLICY = join(POLICIES, "scenario-limits.yaml");

/** Loads `body` (a scenario with `policy:` pointing at a real file) and returns its scenarios. */
function load(body: string, file = "s.yaml") {
  return loadScenarioText(`policy: ${POLICY}\n${body}`, file);
}

/** The InputError loading `text` throws. */
function loadError(text: string, file = "bad.yaml"): InputError {
  return inputErrorOf(() => loadScenarioText(text, file));
}

describe("loading inline calls", () => {
  it("puts the first call without t at 2026-01-01T00:00:00Z and adds offsets to the call before", () => {
    const [s] = load(`calls:
  - { tool: ping }
  - { t: "+30s", tool: ping }
  - { t: "+250ms", tool: ping }
  - { t: "+2m", tool: ping }
  - { t: "+1h", tool: ping }
  - { tool: ping }
expect: { summary: { calls: 6 } }
`);
    const base = Date.parse("2026-01-01T00:00:00Z");
    expect(s!.calls.map((c) => c.t - base)).toEqual([0, 30_000, 30_250, 150_250, 3_750_250, 3_750_250]);
  });

  it("gives calls session s1, no identity, outcome ok and empty args by default", () => {
    const [s] = load("calls: [{ tool: ping }]\nexpect: { summary: { calls: 1 } }\n");
    expect(s!.calls[0]).toMatchObject({ session: "s1", identity: undefined, outcome: "ok", args: {}, latencyMs: 0, index: 1 });
  });

  it("keeps what a call names: session, identity, outcome and JSON arguments", () => {
    const [s] = load(`calls:
  - { tool: create_charge, args: { amount: 700, tags: [a, b], meta: { ok: true } }, session: s2, identity: bob, outcome: error }
expect: { summary: { calls: 1 } }
`);
    expect(s!.calls[0]).toMatchObject({ session: "s2", identity: "bob", outcome: "error", args: { amount: 700, tags: ["a", "b"], meta: { ok: true } } });
    expect(typeof (s!.calls[0]!.args as { amount: unknown }).amount).toBe("number");
  });

  it("orders calls by time, keeping list order for equal times, and remembers their list index", () => {
    const [s] = load(`calls:
  - { t: "2026-01-01T10:00:05Z", tool: b }
  - { t: "2026-01-01T10:00:00Z", tool: a }
  - { t: "+5s", tool: c }
expect: { summary: { calls: 3 } }
`);
    expect(s!.calls.map((c) => `${c.tool}${c.index}`)).toEqual(["a2", "b1", "c3"]);
  });
});

describe("loading a scenario file", () => {
  it("resolves policy and tape paths against the scenario file's folder", () => {
    const dir = writeFiles({
      "policy.yaml": LIMITS_POLICY,
      "t.jsonl": "",
      "s.yaml": "policy: policy.yaml\ntapes: [t.jsonl]\nexpect: { summary: { calls: 0 } }\n",
    });
    const [s] = loadScenarioFile(join(dir, "s.yaml"));
    expect(s!.policy).toMatchObject({ kind: "file", path: join(dir, "policy.yaml") });
    expect(s!.tapes).toEqual([join(dir, "t.jsonl")]);
  });

  it("reads several scenarios under scenarios:, sharing the file's policy and options", () => {
    const list = load(`options: { rollbackOn: error+isError }
scenarios:
  - name: first
    calls: [{ tool: ping }]
    expect: { calls: [{ call: 1, decision: allow }] }
  - calls: [{ tool: ping }]
    options: { approvals: deny }
    expect: { summary: { allow: 1 } }
`, "two.yaml");
    expect(list.map((s) => s.name)).toEqual(["first", "two #2"]);
    expect(list[0]!.options.rollbackOn).toBe("error+isError");
    expect(list[1]!.options).toMatchObject({ approvals: "deny", rollbackOn: "error" });
    expect(list.every((s) => s.policy.kind === "file")).toBe(true);
  });

  it("reads expectations by index, by tool and by nth with their positions", () => {
    const [s] = load(`calls: [{ tool: ping }]
expect:
  calls:
    - { call: 1, decision: allow, rule: null }
    - { tool: ping, nth: 2, message: "x" }
    - { tool: ping, session: s2, decision: throttle }
  summary: { allow: 1, throttle: 0 }
`);
    expect(s!.expectCalls.map((e) => e.selector)).toEqual([
      { kind: "index", call: 1, tool: undefined, session: undefined },
      { kind: "tool", tool: "ping", nth: 2, session: undefined },
      { kind: "tool", tool: "ping", nth: undefined, session: "s2" },
    ]);
    expect(s!.expectCalls[0]!.check).toEqual({ decision: "allow", rule: null });
    expect(s!.expectCalls[1]!.at).toMatchObject({ file: "s.yaml", line: 6, col: 7 });
    expect(s!.expectSummary).toMatchObject({ counts: { allow: 1, throttle: 0 }, at: { line: 8 } });
  });

  it("keeps an inline policy's source at the same lines and columns as in the scenario", () => {
    const text = `name: inline
policy:
  version: "1"
  tools:
    ping:
      rules: []
calls: [{ tool: ping }]
expect: { summary: { calls: 1 } }
`;
    const [s] = loadScenarioText(text, "inline.yaml");
    expect(s!.policy.kind).toBe("inline");
    const lines = (s!.policy as { text: string }).text.split("\n");
    expect(lines[2]).toBe('  version: "1"');
    expect(lines[5]).toBe("      rules: []");
    expect(lines[0]).toBe("");
  });
});

describe("bad scenario files", () => {
  it("a YAML syntax error names its line", () => {
    const err = loadError("policy: a.yaml\ncalls: [ { tool: ping }\n");
    expect(err.message).toMatch(/YAML syntax error/);
    expect(err.file).toBe("bad.yaml");
    expect(err.line).toBeGreaterThanOrEqual(2);
  });

  it("an unknown key is refused at its place with the nearest known key", () => {
    const err = loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\nexpcet: { summary: { calls: 1 } }\n`);
    expect(err.format()).toBe("bad.yaml:3:1: error: unknown key `expcet` in a scenario; did you mean `expect`?");
  });

  it("a list as a key is refused at its place as not a single value (not as an unknown key ``)", () => {
    const err = loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\n? [expect]\n: 1\n`);
    expect(err.format()).toMatch(/^bad\.yaml:3:3: error: a key in a scenario must be a single value, not a list; known keys here: `name`/);
  });

  it("a second YAML document is refused: a scenario file is ours, one document", () => {
    const err = loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\nexpect: { summary: { calls: 1 } }\n---\ncalls: []\n`);
    expect(err.message).toMatch(/multiple documents/);
    expect(err.line).toBe(4);
  });

  it("a bad offset is refused at the t value, saying what to write", () => {
    const err = loadError(`policy: ${POLICY}\ncalls:\n  - { tool: ping }\n  - { t: "+3x", tool: ping }\nexpect: { summary: { calls: 2 } }\n`);
    expect(err.format()).toBe('bad.yaml:4:10: error: offset "+3x" is not a duration; write +250ms, +30s, +2m, +1h or +1m30s');
  });

  it("a wrong type names what was found and an example", () => {
    const err = loadError(`policy: ${POLICY}\ncalls: 5\nexpect: { summary: { calls: 1 } }\n`);
    expect(err).toMatchObject({ line: 2, col: 8 });
    expect(err.message).toBe("calls must be a list, not the number 5");
  });

  it("a misspelt decision suggests the right one", () => {
    const err = loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\nexpect: { calls: [{ call: 1, decision: throtle }] }\n`);
    expect(err.format()).toBe('bad.yaml:3:40: error: decision "throtle" is not one of allow, deny, throttle, approval, undecided; did you mean throttle?');
  });

  it("an expectation must name a call and check something", () => {
    expect(loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\nexpect: { calls: [{ decision: allow }] }\n`).message).toBe("the expectation names no call");
    expect(loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\nexpect: { calls: [{ call: 1 }] }\n`).message).toBe("the expectation checks nothing");
    expect(loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\nexpect: { calls: [{ call: 0, decision: allow }] }\n`).message).toMatch(/^call must be a whole number of at least 1/);
  });

  it("a scenario without expectations, calls or policy is refused", () => {
    expect(loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\n`).message).toBe("the scenario expects nothing");
    expect(loadError(`policy: ${POLICY}\nexpect: { summary: { calls: 0 } }\n`).message).toBe("the scenario has no calls and no tapes");
    expect(loadError(`calls: [{ tool: ping }]\nexpect: { summary: { calls: 1 } }\n`).message).toBe("the scenario names no policy");
  });

  it("a policy or tape that does not exist is refused at its line", () => {
    const err = loadError("policy: nowhere.yaml\ncalls: [{ tool: ping }]\nexpect: { summary: { calls: 1 } }\n");
    expect(err).toMatchObject({ file: "bad.yaml", line: 1, col: 9 });
    expect(err.message).toMatch(/^no such policy file: nowhere.yaml/);
    const tape = loadError(`policy: ${POLICY}\ntapes: [gone.jsonl]\nexpect: { summary: { calls: 1 } }\n`);
    expect(tape).toMatchObject({ line: 2, col: 9 });
  });

  it("a folder of tapes with no tape in it is refused at its line in the scenario, not at the folder with no line", () => {
    const dir = writeFiles({ "notes.txt": "not a tape\n" });
    const err = loadError(`policy: ${POLICY}\ntapes: [${dir}]\nexpect: { summary: { deny: 0 } }\n`);
    expect(err).toMatchObject({ file: "bad.yaml", line: 2, col: 9 });
    expect(err.message).toBe(`no .jsonl tapes in folder ${dir} (looked in ${dir})`);
  });

  it("a bad replay option is refused at its value", () => {
    const err = loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\noptions:\n  approvals: maybe\nexpect: { summary: { calls: 1 } }\n`);
    expect(err).toMatchObject({ line: 4, col: 14 });
    expect(err.message).toMatch(/approvals "maybe" is not one of approve, deny, pending/);
    const unknown = loadError(`policy: ${POLICY}\ncalls: [{ tool: ping }]\noptions: { rollback-on: error }\nexpect: { summary: { calls: 1 } }\n`);
    expect(unknown.format()).toMatch(/did you mean `rollbackOn`\?$/);
  });

  it("an empty file is refused", () => {
    expect(loadError("").message).toBe("the scenario file is empty");
  });
});
