/** A saved finding is a scenario that fails under the policy today and passes once it is fixed. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fuzzCommand } from "../../src/cli/fuzz.js";
import { FlagValues } from "../../src/cli/flags.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { PolicyCache } from "../../src/scenario/policies.js";
import { runScenario } from "../../src/scenario/run.js";
import { captureIo, writeFiles, TEN_A_MINUTE } from "./helpers.js";
import { runCli } from "../cli/run-cli.js";

const LEAKY = `
version: "1"
tools:
  read_file:
    rules:
      - name: only under /srv
        conditions:
          - { path: args.path, op: regex, value: "^/srv/" }
`;
const FIXED = `
version: "1"
tools:
  read_file:
    rules:
      - name: only under /srv
        conditions:
          - { path: args.path, op: regex, value: "^/srv/([^./][^/]*/?)*$" }
`;

async function saveFindings(dir: string, policyFile: string, flags: string[]): Promise<string[]> {
  const io = captureIo();
  const opts: Record<string, unknown> = { policy: join(dir, policyFile), seed: "7", save: join(dir, "found"), format: "json", forbid: [] };
  for (let i = 0; i < flags.length; i += 2) {
    const key = flags[i]!;
    if (key === "forbid") (opts.forbid as string[]).push(flags[i + 1]!);
    else opts[key] = flags[i + 1];
  }
  const code = await fuzzCommand([], new FlagValues(opts), io);
  expect(code).toBe(1);
  const doc = JSON.parse(io.out()) as { findings: { saved: string }[] };
  return doc.findings.map((f) => f.saved);
}

async function failures(scenarioFile: string): Promise<number> {
  const [scenario] = loadScenarioFile(scenarioFile);
  const result = await runScenario(scenario!, new PolicyCache());
  return result.failures.length;
}

describe("saved counterexamples", () => {
  it("a forbidden path the policy allows fails as a scenario, and passes under the fixed policy", async () => {
    const dir = writeFiles({ "policy.yaml": LEAKY });
    const [saved] = await saveFindings(dir, "policy.yaml", ["forbid", 'args.path contains ".."']);
    const text = readFileSync(saved!, "utf8");
    expect(text).toContain("policy: ../policy.yaml");
    expect(text).toContain("decision: deny");
    expect(await failures(saved!)).toBe(1);
    const fixedDir = writeFiles({ "policy.yaml": FIXED });
    const moved = join(fixedDir, "found.yaml");
    (await import("node:fs")).writeFileSync(moved, text.replace("policy: ../policy.yaml", "policy: policy.yaml"));
    expect(await failures(moved)).toBe(0);
  }, 10_000);

  it("a --save folder that cannot be made is bad input before any fuzzing (not after a long run, its findings unreported), even when nothing would be found", async () => {
    const dir = writeFiles({ "policy.yaml": FIXED });
    // Nothing to find under the fixed policy: the folder was once looked at only when saving a finding.
    const r = await runCli(["fuzz", "-p", join(dir, "policy.yaml"), "--forbid", 'args.path contains ".."', "--save", join(dir, "policy.yaml", "found")]);
    expect(r.stderr).toContain(`cannot save scenarios in ${join(dir, "policy.yaml", "found")}: ${join(dir, "policy.yaml")} is a file, not a folder`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });

  it.skipIf(!existsSync("/dev/full"))("a run whose report cannot be written (a full disk) saves no scenario either: the run's outputs appear together or not at all", async () => {
    const dir = writeFiles({ "policy.yaml": LEAKY });
    const r = await runCli(["fuzz", "-p", join(dir, "policy.yaml"), "--seed", "7", "--save", join(dir, "found"), "--forbid", 'args.path contains ".."', "--report", "json=/dev/full"]);
    expect(r.stderr).toContain("cannot write /dev/full: no space left on device");
    expect(r.code).toBe(2);
    expect(readdirSync(join(dir, "found"))).toEqual([]);
  });

  /*
   * A scenario can only pin one call's decision, not "at most 10 in any minute", so a rate
   * finding pins the call that made it 11: what a limiter that keeps the property (a sliding
   * window of 60 s) decides for it. Run with that window, the saved scenario passes.
   */
  it("a burst across the window edge is saved with times, fails today and passes under a sliding window", async () => {
    const dir = writeFiles({ "policy.yaml": TEN_A_MINUTE, "props.yaml": "send_email:\n  - { max_calls: 10, per: 60s }\n" });
    const [saved] = await saveFindings(dir, "policy.yaml", ["properties", join(dir, "props.yaml"), "tool", "send_email"]);
    const text = readFileSync(saved!, "utf8");
    expect(text).toMatch(/t: \+\d+ms/);
    expect(text).toContain("decision: throttle");
    expect(await failures(saved!)).toBe(1);
    (await import("node:fs")).writeFileSync(saved!, `${text}options:\n  window: sliding\n`);
    expect(await failures(saved!)).toBe(0);
  }, 10_000);
});
