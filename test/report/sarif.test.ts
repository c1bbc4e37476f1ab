/**
 * `--format sarif` of validate, test and diff: every log validates against the official SARIF
 * 2.1.0 JSON schema (sarif-2.1.0-rtm.5.json as the npm package @microsoft/jest-sarif ships it),
 * and each result points where the finding is written.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import draft04 from "ajv-draft-04";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { fixture } from "../diff/helpers.js";
import { LIMITS_POLICY, writeFiles } from "../scenario/helpers.js";

const require = createRequire(import.meta.url);
// The schema is draft-04; its language-tag pattern is not valid as a unicode RegExp, hence unicodeRegExp: false.
// Both packages are CommonJS: under NodeNext their class and function are the default export's `default`.
const ajv = new draft04.default({ strict: false, allErrors: true, unicodeRegExp: false });
formats.default(ajv);
const validSarif = ajv.compile(JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as object);

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: { ruleId: string; ruleIndex?: number; level: string; message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number } } }[] }[];
  }[];
}

/**
 * Valid SARIF, and as GitHub code scanning ingests it: one result with no location makes it refuse
 * the whole file ("locationFromSarifResult: expected at least one location", github/codeql-action
 * issue 1738), and it shows a location only with a file and a start line (sarif-sdk rules GH1001
 * and GH1003, microsoft/sarif-sdk src/Sarif.Multitool.Library/Rules/).
 */
function checked(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  expect(validSarif(log), JSON.stringify(validSarif.errors)).toBe(true);
  const run = log.runs[0]!;
  for (const r of run.results) {
    expect(run.tool.driver.rules[r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(r.locations?.length, `a result with no location: ${r.message.text}`).toBeGreaterThan(0);
    for (const l of r.locations!) {
      expect(l.physicalLocation.artifactLocation.uri).not.toBe("");
      expect(l.physicalLocation.region?.startLine).toBeGreaterThanOrEqual(1);
    }
  }
  return log;
}

const where = (r: SarifLog["runs"][0]["results"][0]) => {
  const p = r.locations![0]!.physicalLocation;
  return `${decodeURIComponent(p.artifactLocation.uri)}:${p.region!.startLine}:${p.region!.startColumn}`;
};

describe("the schema check itself", () => {
  it("refuses a log that is not SARIF 2.1.0", () => {
    expect(validSarif({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" }, level: "fatal" }] }] })).toBe(false);
    expect(validSarif({ version: "2.0.0", runs: [] })).toBe(false);
  });
});

describe("validate --format sarif", () => {
  it("puts each warning at the file:line:col text output names", async () => {
    const policies = ["fixtures/policies/scenario-catalog.yaml", "fixtures/policies/scenario-operators.yaml", "fixtures/policies/scenario-state.yaml"];
    const text = await runCli(["validate", ...policies]);
    const sarif = await runCli(["validate", ...policies, "--format", "sarif"]);
    expect(sarif.code).toBe(text.code);
    const log = checked(sarif.stdout);
    const fromText = text.stdout.split("\n").filter((l) => l.includes(": warning: ")).map((l) => l.slice(0, l.indexOf(": warning: ")));
    expect(fromText.length).toBeGreaterThan(0);
    expect(log.runs[0]!.results.map(where)).toEqual(fromText);
    expect(new Set(log.runs[0]!.results.map((r) => r.level))).toEqual(new Set(["warning"]));
  });

  it("an invalid policy is an error result, and exit 2 as with text", async () => {
    const dir = writeFiles({ "bad.yaml": 'version: "1"\ntools:\n  x:\n    rules:\n      - name: r\n        rate_limit: lots\n' });
    const r = await runCli(["validate", join(dir, "bad.yaml"), "--format", "sarif"]);
    expect(r.code).toBe(2);
    const results = checked(r.stdout).runs[0]!.results;
    expect(results.some((x) => x.level === "error" && x.ruleId === "policy-error")).toBe(true);
  });

  it("a policy that cannot be read is an error at the path given, line 1, so GitHub takes the log", async () => {
    const dir = writeFiles({ "good.yaml": 'version: "1"\ntools: {}\n' });
    const missing = join(dir, "policies", "nope.yaml");
    const r = await runCli(["validate", join(dir, "good.yaml"), missing, "--format", "sarif"]);
    expect(r.code).toBe(2);
    const results = checked(r.stdout).runs[0]!.results;
    expect(results).toHaveLength(1);
    expect(results[0]!.ruleId).toBe("policy-error");
    expect(results[0]!.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: missing.split("/").map(encodeURIComponent).join("/") }, region: { startLine: 1 } });
  });
});

describe("test --format sarif", () => {
  it("a failed expectation is an error at its line in the scenario file, where github annotates it", async () => {
    const dir = writeFiles({
      "policy.yaml": LIMITS_POLICY,
      "pings.yaml": `policy: policy.yaml\nscenarios:\n  - name: a third ping is wrongly expected to pass\n    calls:\n      - { t: "2026-01-01T10:00:00Z", tool: ping }\n      - { t: "+1s", tool: ping }\n      - { t: "+1s", tool: ping }\n    expect:\n      calls:\n        - { call: 3, decision: allow }\n`,
    });
    const sarif = await runCli(["test", dir, "--format", "sarif"]);
    const github = await runCli(["test", dir, "--format", "github"]);
    expect(sarif.code).toBe(1);
    const results = checked(sarif.stdout).runs[0]!.results;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: "expectation-failed", level: "error" });
    const m = /^::error file=([^,]+),line=(\d+),col=(\d+)/m.exec(github.stdout)!;
    expect(where(results[0]!)).toBe(`${decodeURIComponent(m[1]!).replace(/%3A/g, ":")}:${m[2]}:${m[3]}`);
    expect(results[0]!.message.text).toContain("decision: expected allow, got throttle");
  });
});

describe("diff --format sarif", () => {
  it("a result per change and rule at the rule's line: loosenings are warnings, errors under --fail-on-loosen", async () => {
    const args = ["diff", fixture("kinds.jsonl"), "--base", fixture("base.yaml"), "--head", fixture("head.yaml"), "--format", "sarif"];
    const plain = checked((await runCli(args)).stdout).runs[0]!;
    const json = JSON.parse((await runCli([...args.slice(0, -2), "--format", "json"])).stdout) as { summary: { changed: number; changes: Record<string, number> } };
    expect(plain.tool.driver.rules.map((r) => r.id).sort()).toEqual(Object.keys(json.summary.changes).sort());
    for (const r of plain.results) {
      const [file, line] = where(r).split(":");
      // The line is a rule's name, and that rule is one of the two the change names.
      const named = /name: (\S+)/.exec(readFileSync(file!, "utf8").split("\n")[Number(line) - 1]!)![1]!;
      expect(r.message.text.split(" (first:")[0]).toContain(`by ${named}`);
    }
    const exec = plain.results.find((r) => r.message.text.startsWith("deny→allow: deny by no-exec"))!;
    expect(exec.level).toBe("warning");
    expect(plain.results.find((r) => r.ruleId === "allow->deny")!.level).toBe("note");
    const failing = checked((await runCli([...args, "--fail-on-loosen"])).stdout).runs[0]!;
    expect(failing.results.find((r) => r.message.text.startsWith("deny→allow: deny by no-exec"))!.level).toBe("error");
  });
});
