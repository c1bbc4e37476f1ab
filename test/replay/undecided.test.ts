/**
 * An imported audit call whose decision reads an argument the audit log does not keep is
 * `undecided`: its own kind, counted apart in every replay format, never deny or allow.
 * Through the CLI's main(), on the imported AWS Support seed log.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../fuzz/helpers.js";

const TAPE = "fixtures/seed-tapes/aws-support-intercept-audit.jsonl";
const POLICY = "fixtures/policies/seed-aws-support-severity.policylayer.json";

async function replay(format: string, ...more: string[]) {
  const io = captureIo();
  const code = await main(["node", "mcptape", "replay", TAPE, "-p", POLICY, "--identity", "ci-runner", "--format", format, ...more], io);
  return { code, out: io.out() };
}

describe("undecided calls, counted apart in every format", () => {
  it("json: its own count in the summary, none counted as deny or allow", async () => {
    const { summary, decisions } = JSON.parse((await replay("json")).out) as { summary: Record<string, number>; decisions: { decision: string }[] };
    expect(summary).toEqual({ calls: 35, allow: 1, deny: 0, throttle: 0, approval: 1, undecided: 33, changed: 2 });
    expect(decisions.filter((d) => d.decision === "undecided")).toHaveLength(33);
  });

  it("text and github: the headline counts them", async () => {
    const headline = "35 calls: 1 allow, 0 deny, 0 throttle, 1 approval, 33 undecided; 2 changed from the recording";
    expect((await replay("text")).out).toContain(headline);
    expect((await replay("github")).out).toContain(`::notice title=mcptape replay::${headline}`);
  });

  it("text: the by-rule table right-aligns the undecided count under its header, as the other counts", async () => {
    const lines = (await replay("text")).out.split("\n");
    const header = lines.findIndex((l) => l.trimStart().startsWith("rule ") && l.trimEnd().endsWith("undecided"));
    expect(header).toBeGreaterThan(-1);
    const row = lines.slice(header + 1).find((l) => l.includes("create_support_case_rate"))!;
    // Each count ends in the same column as its header, so the row is as long as the header.
    expect(row.trimEnd()).toMatch(/\s2$/);
    expect(row.trimEnd().length).toBe(lines[header]!.trimEnd().length);
  });

  it("markdown: a column of their own by tool", async () => {
    const out = (await replay("markdown")).out;
    expect(out).toContain("| tool | calls | allow | deny | throttle | approval | undecided | changed |");
    expect(out).toContain("| `create_support_case` | 33 | 0 | 0 | 0 | 0 | 33 | 0 |");
  });

  it("junit: each is a case named undecided, and --fail-on undecided fails on them", async () => {
    const r = await replay("junit", "--fail-on", "undecided");
    expect(r.code).toBe(1);
    expect(r.out.match(/name="#\d+ create_support_case \(a1b2c3d4\): undecided( by [^"]*)?"/g)).toHaveLength(33);
    expect(r.out).toContain('tests="35" failures="33"');
  });

  it("html: a summary card of their own", async () => {
    const out = (await replay("html")).out;
    expect(out).toMatch(/"label":"undecided","value":33/);
  });

  it("results file: its fields end with undecidable, then the tape's time text, the order merge has always read and written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcptape-undecided-"));
    try {
      const file = join(dir, "results.jsonl");
      await replay("json", "-o", join(dir, "out.json"), "--report", `results=${file}`);
      const calls = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { call?: Record<string, unknown> })
        .flatMap((r) => (r.call ? [r.call] : []));
      const undecided = calls.find((c) => c.undecidable !== undefined)!;
      expect(Object.keys(undecided).slice(-4)).toEqual(["tape", "line", "undecidable", "time"]);
      expect(undecided.time).toMatch(/^2026-03-02T/);
      // A decided call has no undecidable field at all, not one written as null.
      expect(Object.keys(calls.find((c) => c.undecidable === undefined)!).slice(-3)).toEqual(["tape", "line", "time"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
