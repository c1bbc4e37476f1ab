import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testCommand } from "../../src/cli/test.js";
import { FlagValues } from "../../src/cli/flags.js";
import { testRenderer } from "../../src/report/test-formats.js";
import { runSuite } from "../../src/scenario/run.js";
import { captureIo, LIMITS_POLICY, ROOT, writeFiles } from "./helpers.js";

/** A suite with one passing and one failing scenario (the failing one expects a third ping allowed). */
function suite(): string {
  return writeFiles({
    "policy.yaml": LIMITS_POLICY,
    "pings.yaml": `policy: policy.yaml
scenarios:
  - name: two pings pass
    calls:
      - { t: "2026-01-01T10:00:00Z", tool: ping }
      - { t: "+1s", tool: ping }
    expect:
      summary: { allow: 2 }
  - name: a third ping is wrongly expected to pass
    calls:
      - { t: "2026-01-01T10:00:00Z", tool: ping, args: { host: a } }
      - { t: "+1s", tool: ping, args: { host: b } }
      - { t: "+1s", tool: ping, args: { host: c }, session: s2 }
      - { tool: nuke }
    expect:
      calls:
        - { call: 3, decision: allow }
        - { tool: nuke, decision: deny, message: Nuking is not permitted }
`,
  });
}

describe("running scenarios", () => {
  it("a failing expectation reports the call, both decisions, the rule, message and counters", async () => {
    const dir = suite();
    const run = await runSuite([dir]);
    expect(run.results.map((r) => r.failures.length)).toEqual([0, 1]);
    const text = testRenderer("text", false)(run);
    const file = join(dir, "pings.yaml");
    expect(text).toContain(`PASS  two pings pass  ${file}:3, 2 calls`);
    expect(text).toContain(`FAIL  a third ping is wrongly expected to pass  ${file}:9, 4 calls`);
    expect(text).toContain(`✗ ${file}:17:11: call 3 (ping): decision: expected allow, got throttle`);
    expect(text).toContain(`call:     #3 ping {"host":"c"} at 2026-01-01T10:00:02.000Z, session s2 (${file}:13)`);
    expect(text).toContain("expected: decision allow");
    expect(text).toContain('actual:   decision throttle, rule "two pings a minute", message "Rate limit of 2 per minute reached. Try again later."');
    expect(text).toContain("counters: ping._rate_minute = 2 (limit 2)");
    expect(text).toContain("2 scenarios: 1 passed, 1 failed (3 checks, 1 failed)");
  });

  it("junit has a test case per scenario and a failure per failing expectation", async () => {
    const run = await runSuite([suite()]);
    const xml = testRenderer("junit", false)(run);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="mcptape test" tests="2" failures="1"/);
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toMatch(/<testcase classname="[^"]*pings.yaml" name="two pings pass" file="[^"]*" line="3" time="[\d.]+"\/>/);
    const failures = xml.match(/<failure message="([^"]*)" type="expectation">/g) ?? [];
    expect(failures).toEqual(['<failure message="call 3 (ping): decision: expected allow, got throttle" type="expectation">']);
    expect(xml).toContain("counters: ping._rate_minute = 2 (limit 2)</failure>");
  });

  it("junit has one failure element per failed scenario, naming the first failed expectation and listing every one (readers differ on a second element)", async () => {
    const dir = writeFiles({
      "policy.yaml": LIMITS_POLICY,
      "s.yaml": "policy: policy.yaml\ncalls: [{ tool: nuke }]\nexpect:\n  calls:\n    - { call: 1, decision: allow }\n    - { call: 2, decision: allow }\n  summary: { deny: 0 }\n",
    });
    const xml = testRenderer("junit", false)(await runSuite([dir]));
    expect(xml.match(/<failure /g)).toHaveLength(1);
    const failure = /<failure message="([^"]*)" type="expectation">([^<]*)<\/failure>/.exec(xml);
    expect(failure?.[1]).toMatch(/ \(and 2 more expectations\)$/);
    // The body lists all three, the missing call among them.
    expect(failure?.[2]).toContain("call 2");
    expect(failure?.[2]).toContain("no such call: the scenario made only 1 call");
    expect(failure?.[2]?.split("\n\n")).toHaveLength(3);
  });

  it("github annotations point at the expectation's line in the scenario file", async () => {
    const dir = suite();
    const out = testRenderer("github", false)(await runSuite([dir]));
    const file = join(dir, "pings.yaml").replace(/:/g, "%3A").replace(/,/g, "%2C");
    expect(out).toContain(`::error file=${file},line=17,col=11,title=`);
    expect(out).toMatch(/::notice title=mcptape test::2 scenarios: 1 passed, 1 failed/);
  });

  it("github annotates a warning at the place it names, so it shows on that line of the pull request", async () => {
    const dir = writeFiles({ "policy.yaml": LIMITS_POLICY, "s.yaml": "policy: policy.yaml\ncalls: [{ tool: pnig }]\nexpect: { summary: { allow: 1 } }\n" });
    const out = testRenderer("github", false)(await runSuite([dir]));
    const file = join(dir, "s.yaml").replace(/:/g, "%3A").replace(/,/g, "%2C");
    expect(out).toContain(`::warning file=${file},line=2,col=9,title=mcptape test::tool "pnig" (call 1) is named by neither`);
  });

  it("json lists each scenario with its failures and the deciding call", async () => {
    const body = JSON.parse(testRenderer("json", false)(await runSuite([suite()])));
    expect(body.summary).toEqual({ scenarios: 2, passed: 1, failed: 1, checks: 3, failures: 1, errored: 0 });
    expect(body.scenarios[1].failures[0]).toMatchObject({
      line: 17,
      message: "decision: expected allow, got throttle",
      call: { index: 3, tool: "ping", session: "s2", decision: "throttle", rule: "two pings a minute" },
      expected: { decision: "allow" },
    });
  });

  it("markdown shows the verdict and each failure", async () => {
    const md = testRenderer("markdown", false)(await runSuite([suite()]));
    expect(md).toContain("## mcptape test :x:");
    expect(md).toContain("### :x: a third ping is wrongly expected to pass");
    expect(md).toContain("decision: expected allow, got throttle");
  });

  it("an inline intercept policy's errors point into the scenario file", async () => {
    const dir = writeFiles({
      "s.yaml": `name: inline
policy:
  version: "1"
  tools:
    ping:
      rules:
        - name: bad op
          conditions:
            - { path: args.x, op: equals, value: 1 }
calls: [{ tool: ping }]
expect: { summary: { calls: 1 } }
`,
    });
    const run = await runSuite([dir]);
    expect(run.errored).toHaveLength(1);
    expect(run.errored[0]!.at).toEqual({ file: join(dir, "s.yaml"), line: 3, col: 3 });
    expect(run.errored[0]!.message).toContain(`${join(dir, "s.yaml")}:9:`);
    expect(run.errored[0]!.message).toMatch(/equals/);
  });
});

describe("a call of a misspelt tool", () => {
  // Under default: deny, `nkue` is denied for being unknown: "the nuke is denied" passes whatever the nuke rule says.
  const misspelt = (calls: string, extra = "") => writeFiles({
    "policy.yaml": `default: deny\n${LIMITS_POLICY}`,
    "s.yaml": `name: nukes are denied\npolicy: policy.yaml\n${extra}calls:\n${calls}expect:\n  calls: [{ call: 1, decision: deny }]\n`,
  });

  it("warns once per tool, at its first call, with the name the policy gives and the calls", async () => {
    const dir = misspelt("  - { tool: nkue }\n  - { tool: ping }\n  - { tool: nkue }\n");
    const run = await runSuite([dir]);
    expect(run.results[0]!.failures).toEqual([]);
    expect(run.warnings).toEqual([
      `${join(dir, "s.yaml")}:4:5: tool "nkue" (calls 1, 3) is named by neither the policy, tools: nor the tapes; did you mean "nuke"? The gateway decides it as a tool it does not know, so an expectation on it may pass for the wrong reason`,
    ]);
  });

  it("is quiet for a tool the policy, tools: or a tape names, and for a name close to none", async () => {
    expect((await runSuite([misspelt("  - { tool: nuke }\n  - { tool: shell_exec }\n")])).warnings).toEqual([]);
    expect((await runSuite([misspelt("  - { tool: nuker }\n", "tools: [{ name: nuker }]\n")])).warnings).toEqual([]);
    const tape = join(ROOT, "scenarios/tapes/sms-burst.jsonl");
    expect((await runSuite([misspelt("  - { tool: send_sm }\n", `tapes: [${tape}]\n`)])).warnings.filter((w) => w.includes("send_sm\""))).toHaveLength(1);
    expect((await runSuite([misspelt("  - { tool: send_sms }\n", `tapes: [${tape}]\n`)])).warnings.filter((w) => w.includes("did you mean"))).toEqual([]);
  });
});

describe("inline calls out of list order", () => {
  // A mistyped hour puts the second call first: call: 1 is then nuke (deny), as the author meant ping.
  const reordered = (expect: string) => writeFiles({
    "policy.yaml": LIMITS_POLICY,
    "s.yaml": `name: order\npolicy: policy.yaml\ncalls:\n  - { t: "2026-01-01T10:00:00Z", tool: ping }\n  - { t: "2026-01-01T09:00:01Z", tool: nuke }\nexpect:\n${expect}`,
  });

  it("warns at the first call that runs elsewhere than listed, when an expectation counts calls by index", async () => {
    const dir = reordered("  calls: [{ call: 1, decision: deny }]\n");
    const run = await runSuite([dir]);
    expect(run.results[0]!.failures).toEqual([]);
    expect(run.warnings).toEqual([
      `${join(dir, "s.yaml")}:5:5: call 2 in the list runs as call 1: its time is before a call listed above it, and call: N counts calls in time order; check its t, or write the calls in time order`,
    ]);
  });

  it("is quiet when no expectation counts by index (tool and summary expectations do not depend on the order)", async () => {
    expect((await runSuite([reordered("  calls: [{ tool: nuke, decision: deny }]\n")])).warnings).toEqual([]);
    expect((await runSuite([reordered("  summary: { deny: 1 }\n")])).warnings).toEqual([]);
  });
});

describe("mcptape test", () => {
  it("exits 0 when every expectation holds, 1 when one fails, 2 for a bad file (reported, not thrown)", async () => {
    const passing = writeFiles({ "policy.yaml": LIMITS_POLICY, "ok.yaml": "policy: policy.yaml\ncalls: [{ tool: ping }]\nexpect: { summary: { allow: 1 } }\n" });
    const io = captureIo();
    expect(await testCommand([passing], new FlagValues({ format: "text", report: [] }), io)).toBe(0);
    expect(io.out()).toContain("1 scenario: 1 passed, 0 failed");
    expect(await testCommand([suite()], new FlagValues({ format: "json", report: [] }), captureIo())).toBe(1);
    const bad = writeFiles({ "bad.yaml": "policy: x.yaml\n" });
    const badIo = captureIo();
    expect(await testCommand([bad], new FlagValues({ format: "text", report: [] }), badIo)).toBe(2);
    expect(badIo.err()).toContain(`mcptape: ${join(bad, "bad.yaml")}:`);
  });

  it("writes extra formats with --report", async () => {
    const dir = suite();
    const out = join(writeFiles({}), "results.xml");
    const io = captureIo();
    await testCommand([dir], new FlagValues({ format: "text", report: [{ format: "junit", file: out }] }), io);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(out, "utf8")).toContain("<testsuites");
  });

  it("puts warnings on stderr when the report on stdout is not text or github, or goes to a file: a CI log shows them", async () => {
    const dir = writeFiles({ "policy.yaml": LIMITS_POLICY, "s.yaml": "policy: policy.yaml\ncalls: [{ tool: pnig }]\nexpect: { summary: { allow: 1 } }\n" });
    const warning = `mcptape: warning: ${join(dir, "s.yaml")}:2:9: tool "pnig" (call 1) is named by neither`;
    for (const [format, output] of [["junit", undefined], ["json", undefined], ["text", join(writeFiles({}), "out.txt")]] as const) {
      const io = captureIo();
      expect(await testCommand([dir], new FlagValues({ format, report: [], ...(output ? { output } : {}) }), io)).toBe(0);
      expect(io.err()).toContain(warning);
    }
    for (const format of ["text", "github"]) {
      const io = captureIo();
      await testCommand([dir], new FlagValues({ format, report: [] }), io);
      expect(io.err()).toBe("");
      expect(io.out()).toContain('tool "pnig" (call 1)');
    }
  });

  it("--strict fails a passing run that warned (exit 1, saying so), and leaves a clean one passing", async () => {
    const warned = writeFiles({ "policy.yaml": LIMITS_POLICY, "s.yaml": "policy: policy.yaml\ncalls: [{ tool: pnig }]\nexpect: { summary: { allow: 1 } }\n" });
    const io = captureIo();
    expect(await testCommand([warned], new FlagValues({ format: "junit", report: [], strict: true }), io)).toBe(1);
    expect(io.err()).toContain("mcptape: --strict: 1 warning failed the run\n");
    expect(await testCommand([warned], new FlagValues({ format: "junit", report: [] }), captureIo())).toBe(0);
    const clean = writeFiles({ "policy.yaml": LIMITS_POLICY, "s.yaml": "policy: policy.yaml\ncalls: [{ tool: ping }]\nexpect: { summary: { allow: 1 } }\n" });
    expect(await testCommand([clean], new FlagValues({ format: "junit", report: [], strict: true }), captureIo())).toBe(0);
  });

  it("the example suite in scenarios/ passes", async () => {
    const run = await runSuite([join(ROOT, "scenarios")]);
    const failing = run.results.filter((r) => r.failures.length > 0);
    expect(failing.map((r) => `${r.scenario.name}: ${r.failures.map((f) => f.message).join("; ")}`)).toEqual([]);
    expect(run.results.length).toBeGreaterThanOrEqual(30);
  });
});

describe("identities", () => {
  it("a call's identity reaches the gateway for its session; options.identity covers the rest", async () => {
    const dir = writeFiles({
      "policy.yaml": LIMITS_POLICY,
      "s.yaml": `policy: policy.yaml
options: { identity: ci-bot }
calls:
  - { tool: ping, session: s2, identity: bob }
  - { t: "+1s", tool: ping, session: s2 }
  - { t: "+1s", tool: nuke }
expect: { summary: { calls: 3 } }
`,
    });
    const run = await runSuite([dir]);
    expect(run.results[0]!.calls.map((c) => c.identity)).toEqual(["bob", "bob", "ci-bot"]);
  });
});
