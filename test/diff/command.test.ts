/** `mcptape diff` as a command: json shape, same bytes twice, exit codes, msg-line tapes. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { runCli } from "../cli/run-cli.js";
import { TapeBuilder } from "../replay/tape-builder.js";
import { diffCalls, fixture, policyOf, runDiff } from "./helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

const base = fixture("base.yaml");
const head = fixture("head.yaml");
const kinds = fixture("kinds.jsonl");

describe("diff --format json", () => {
  it("lists every call in replay order with both decisions and the spec's summary", async () => {
    const { code, stdout } = await runDiff([kinds], { base, head, format: "json" });
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as {
      summary: Record<string, unknown>;
      decisions: { seq: number; base: object; head: object; changed: boolean; counterfactual: boolean }[];
    };
    expect(doc.decisions).toHaveLength(26);
    expect(doc.decisions.map((d) => d.seq)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(Object.keys(doc.decisions[0]!)).toEqual(["session", "seq", "t", "tool", "base", "head", "changed", "counterfactual"]);
    expect(doc.decisions[0]).toEqual({
      session: "s-delete",
      seq: 1,
      t: "2026-01-01T10:00:00.100Z",
      tool: "delete",
      base: { decision: "allow", rule: null, message: null },
      head: { decision: "deny", rule: "no-deletes", message: "deleting is not permitted" },
      changed: true,
      counterfactual: false,
    });
    expect(doc.summary).toMatchObject({ calls: 26, changed: 20, direct: 19, counterfactual: 1 });
    const changes = doc.summary.changes as Record<string, number>;
    expect(changes["allow->deny"]).toBe(3);
    expect(changes["deny->allow"]).toBe(3);
    expect(changes["message changed"]).toBe(1);
    expect(Object.values(changes).reduce((a, b) => a + b, 0)).toBe(20);
  });

  it("gives the same bytes on two runs", async () => {
    const dir = tempDir("diff");
    for (const format of ["json", "markdown", "text"]) {
      const a = join(dir, `a.${format}`);
      const b = join(dir, `b.${format}`);
      await runDiff([kinds], { base, head, format, output: a });
      await runDiff([kinds], { base, head, format, output: b });
      expect(readFileSync(a, "utf8").length).toBeGreaterThan(100);
      expect(readFileSync(a)).toEqual(readFileSync(b));
    }
  });

  it("writes extra formats with --report in the same run", async () => {
    const dir = tempDir("diff");
    const md = join(dir, "diff.md");
    const { stdout } = await runDiff([kinds], { base, head, format: "json", report: [{ format: "markdown", file: md }] });
    expect(JSON.parse(stdout).summary.changed).toBe(20);
    expect(readFileSync(md, "utf8")).toContain("**26 calls: 3 allow→deny");
  });
});

describe("exit codes", () => {
  it("is 0 when decisions changed and no --fail-on flag is given", async () => {
    expect((await runDiff([kinds], { base, head, format: "json" })).code).toBe(0);
  });

  it("--fail-on-change exits 1 on any change", async () => {
    expect((await runDiff([kinds], { base, head, format: "json", failOnChange: true })).code).toBe(1);
  });

  it("--fail-on-change exits 0 when a policy is diffed against itself", async () => {
    const r = await runDiff([kinds], { base, head: base, format: "text", failOnChange: true, failOnLoosen: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("26 calls: no decision changed");
  });

  it("--fail-on-loosen exits 1 when a refusal becomes allow", async () => {
    expect((await runDiff([kinds], { base, head, format: "json", failOnLoosen: true })).code).toBe(1);
  });

  it("--fail-on-loosen exits 0 when the head only tightens", async () => {
    // base-tightened.yaml is base.yaml with two refusals added.
    const r = await runDiff([kinds], { base, head: fixture("base-tightened.yaml"), format: "json", failOnLoosen: true });
    expect(JSON.parse(r.stdout).summary.changed).toBeGreaterThan(0);
    expect(r.code).toBe(0);
  });

  it("a missing --head is bad input", async () => {
    await expect(runDiff([kinds], { base, format: "json" })).rejects.toThrow(InputError);
  });

  it("an unknown --format is bad input", async () => {
    await expect(runDiff([kinds], { base, head, format: "junit" })).rejects.toThrow(/--format/);
  });

  it("an invalid policy is bad input naming the flag and the file's errors", async () => {
    const err = await runDiff([kinds], { base, head: fixture("kinds.jsonl"), format: "json" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain("--head");
  });
});

describe("tapes of recorded messages", () => {
  it("pairs tools/call requests with answers and diffs them", async () => {
    const before = policyOf('version: "1"\ntools:\n  search:\n    rules:\n      - name: searches\n        rate_limit: 5/minute\n');
    const after = policyOf('version: "1"\ntools:\n  search:\n    rules:\n      - name: searches\n        rate_limit: 2/minute\n');
    const calls = await diffCalls(before, after, [fixture("msgs.jsonl")]);
    expect(calls.map((c) => [c.seq, c.change, c.counterfactual])).toEqual([
      [1, null, false],
      [3, null, false],
      [5, "allow->throttle", false],
    ]);
  });
});

describe("diff --format text", () => {
  it("lists only changed calls, marks counterfactual ones and shows both messages of a message change", async () => {
    const { stdout } = await runDiff([kinds], { base, head, format: "text" });
    const callLines = stdout.split("\n").filter((l) => /^\s+\d+ {2}2026-/.test(l));
    expect(callLines).toHaveLength(20);
    expect(callLines.filter((l) => l.includes("(counterfactual)"))).toHaveLength(1);
    // The decision and rule that stayed are named once, then the message's change.
    expect(stdout).toMatch(/message changed\s+deny by shell-off: "no" → "no shell"/);
    expect(stdout).toContain("26 calls: 3 allow→deny, 1 newly throttled, 2 newly held for approval, 3 deny→allow");
    expect(stdout).toContain("20 changed: 19 direct, 1 counterfactual");
  });
});

describe("tapes merged by time (--together)", () => {
  it("is a flag of mcptape diff: tapes recorded at the same time share one pair of gateways", async () => {
    const dir = tempDir("diff-together");
    const tape = (name: string) => {
      const b = new TapeBuilder();
      for (let i = 0; i < 3; i++) b.call(i, "search");
      return b.write(name, dir);
    };
    const tapes = [tape("a.jsonl"), tape("b.jsonl")];
    writeFileSync(join(dir, "base.yaml"), 'version: "1"\ntools:\n  search:\n    rules: []\n');
    writeFileSync(join(dir, "head.yaml"), 'version: "1"\ntools:\n  search:\n    rules:\n      - name: four a minute\n        rate_limit: 4/minute\n');
    const args = ["diff", ...tapes, "--base", join(dir, "base.yaml"), "--head", join(dir, "head.yaml"), "--format", "json"];
    const changed = async (extra: string[]) => (JSON.parse((await runCli([...args, ...extra])).stdout) as { summary: { changed: number } }).summary.changed;
    expect(await changed([])).toBe(0);
    expect(await changed(["--together"])).toBe(2);
  });

  it("interleaves the tapes' calls by time into one pair of gateways", async () => {
    const p = policyOf('version: "1"\ntools: {}\n');
    const apart = await diffCalls(p, p, [kinds, fixture("msgs.jsonl")]);
    const together = await diffCalls(p, p, [kinds, fixture("msgs.jsonl")], { together: true });
    expect(together).toHaveLength(apart.length);
    expect(apart.map((c) => c.session).slice(-3)).toEqual(["m1", "m1", "m1"]);
    expect(together.findIndex((c) => c.session === "m1")).toBeLessThan(together.length - 3);
    expect(together.map((c) => c.t)).toEqual([...together.map((c) => c.t)].sort((a, b) => a - b));
  });
});
