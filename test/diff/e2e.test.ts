/**
 * End to end over the recorded tapes (fixtures/tapes, real MCP servers): the demo policy
 * against a tightened and a loosened copy of it. The copies are edited here from demo.yaml as
 * it is now (so the tests follow it), and the checked-in demo-tightened.yaml and
 * demo-loosened.yaml must decide exactly like them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument, type YAMLSeq } from "yaml";
import { ROOT, runDiff } from "./helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

const TAPES = join(ROOT, "fixtures/tapes");
const DEMO = join(ROOT, "fixtures/policies/demo.yaml");
let TIGHTENED: string;
let LOOSENED: string;

/** demo.yaml with a lower echo limit, delete-everything denied and write_file held for approval. */
function tighten(text: string): string {
  const doc = parseDocument(text);
  const limit = String(doc.getIn(["tools", "echo", "rules", 0, "rate_limit"]));
  const [n, per] = limit.split("/");
  expect(Number(n)).toBeGreaterThan(3);
  doc.setIn(["tools", "echo", "rules", 0, "rate_limit"], `3/${per}`);
  doc.setIn(["tools", "delete-everything"], doc.createNode({ rules: [{ name: "no mass deletes", action: "deny", on_deny: "delete-everything is not permitted" }] }));
  (doc.getIn(["tools", "write_file", "rules"]) as YAMLSeq).add(doc.createNode({ name: "approve writes", action: "require_approval" }));
  return doc.toString();
}

/** demo.yaml with get-env no longer denied and a higher echo limit. */
function loosen(text: string): string {
  const doc = parseDocument(text);
  doc.setIn(["tools", "get-env", "rules"], doc.createNode([]));
  doc.setIn(["tools", "echo", "rules", 0, "rate_limit"], "20/minute");
  return doc.toString();
}

beforeAll(() => {
  const dir = tempDir("diff-e2e");
  const demo = readFileSync(DEMO, "utf8");
  TIGHTENED = join(dir, "demo-tightened.yaml");
  LOOSENED = join(dir, "demo-loosened.yaml");
  writeFileSync(TIGHTENED, tighten(demo));
  writeFileSync(LOOSENED, loosen(demo));
});

describe("the checked-in variants of demo.yaml", () => {
  for (const name of ["tightened", "loosened"]) {
    it(`demo-${name}.yaml decides every recorded call like demo.yaml ${name} now`, async () => {
      const edited = name === "tightened" ? TIGHTENED : LOOSENED;
      const r = await runDiff([TAPES], { base: edited, head: join(ROOT, `fixtures/policies/demo-${name}.yaml`), format: "json" });
      // If this fails, demo.yaml changed: copy its edits into fixtures/policies/demo-${name}.yaml.
      expect(JSON.parse(r.stdout).summary.changed).toBe(0);
    });
  }
});

interface Side {
  decision: string;
  rule: string | null;
  message: string | null;
}
interface Row {
  session: string;
  tool: string;
  base: Side;
  head: Side;
  changed: boolean;
  counterfactual: boolean;
}
interface Doc {
  summary: { calls: number; changed: number; direct: number; counterfactual: number; changes: Record<string, number> };
  decisions: Row[];
}

async function diffJson(head: string, flags: Record<string, unknown> = {}): Promise<{ code: number; doc: Doc; bytes: string }> {
  const r = await runDiff([TAPES], { base: DEMO, head, format: "json", ...flags });
  return { code: r.code, doc: JSON.parse(r.stdout) as Doc, bytes: r.stdout };
}

describe("demo.yaml against demo-tightened.yaml over the recorded tapes", () => {
  it("denies every delete-everything call by the new rule", async () => {
    const { doc } = await diffJson(TIGHTENED);
    const deletes = doc.decisions.filter((d) => d.tool === "delete-everything");
    expect(deletes.length).toBeGreaterThan(0);
    for (const d of deletes) expect(d.head).toEqual({ decision: "deny", rule: "no mass deletes", message: "delete-everything is not permitted" });
  });

  it("holds every allowed write_file call for approval", async () => {
    const { doc } = await diffJson(TIGHTENED);
    const writes = doc.decisions.filter((d) => d.tool === "write_file" && d.base.decision === "allow");
    expect(writes.length).toBeGreaterThan(0);
    for (const d of writes) expect(d.head).toMatchObject({ decision: "approval", rule: "approve writes" });
  });

  it("throttles echo sooner and never loosens anything", async () => {
    const { doc, code } = await diffJson(TIGHTENED, { failOnLoosen: true });
    expect(doc.summary.changes["allow->throttle"]).toBeGreaterThan(0);
    for (const kind of Object.keys(doc.summary.changes)) expect(kind).not.toMatch(/->allow$/);
    expect(code).toBe(0);
  });

  it("--fail-on-change fails it", async () => {
    expect((await diffJson(TIGHTENED, { failOnChange: true })).code).toBe(1);
  });

  it("marks a call counterfactual exactly when an earlier call of its session changed", async () => {
    const { doc } = await diffJson(TIGHTENED);
    const diverged = new Set<string>();
    for (const d of doc.decisions) {
      expect(d.counterfactual).toBe(diverged.has(d.session));
      if (d.changed) diverged.add(d.session);
    }
    expect(doc.summary.direct + doc.summary.counterfactual).toBe(doc.summary.changed);
    expect(doc.summary.direct).toBe(diverged.size);
  });

  it("gives the same bytes on two runs", async () => {
    expect((await diffJson(TIGHTENED)).bytes).toBe((await diffJson(TIGHTENED)).bytes);
  });
});

describe("demo.yaml against demo-loosened.yaml over the recorded tapes", () => {
  it("allows get-env and fails --fail-on-loosen", async () => {
    const { doc, code } = await diffJson(LOOSENED, { failOnLoosen: true });
    const env = doc.decisions.filter((d) => d.tool === "get-env");
    expect(env.length).toBeGreaterThan(0);
    for (const d of env) expect([d.base.decision, d.head.decision]).toEqual(["deny", "allow"]);
    expect(code).toBe(1);
  });

  it("finds no change diffing demo.yaml against itself", async () => {
    const { doc, code } = await diffJson(DEMO, { failOnChange: true, failOnLoosen: true });
    expect(doc.summary.changed).toBe(0);
    expect(doc.summary.calls).toBe(doc.decisions.length);
    expect(code).toBe(0);
  });
});
