import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadPolicyText } from "../../src/policy/load.js";
import { policyGaps } from "../../src/risk/advice.js";
import { interceptStarter, yamlKey } from "../../src/risk/starter-intercept.js";
import { policyLayerStarter } from "../../src/risk/starter-policylayer.js";
import type { ToolInfo } from "../../src/tape/tools.js";
import { CORPUS } from "../helpers/corpus.js";
import { readLabelledTools } from "./corpus.js";

const tools: ToolInfo[] = [
  { name: "list_issues", description: "List issues" },
  { name: "create_issue", description: "Create an issue\nwith a second line" },
  { name: "run_sql", inputSchema: { type: "object", properties: { sql: { type: "string" } } } },
  { name: "delete_repo" },
  { name: "create_refund", inputSchema: { type: "object", properties: { amount: { type: "integer" } } } },
  { name: "frobnicate" },
];

/** Uncomments the example blocks that follow "Check its arguments", "Or refuse it", "To hold only". */
function uncommentAlternatives(text: string): string {
  const out: string[] = [];
  let indent: string | undefined;
  for (const line of text.split("\n")) {
    const marker = /^(\s*)# (Check its arguments|Or refuse it|To hold only)/.exec(line);
    if (marker) {
      indent = marker[1]!;
      continue;
    }
    if (indent !== undefined && line.startsWith(indent + "# ")) {
      out.push(indent + line.slice(indent.length + 2));
      continue;
    }
    indent = undefined;
    out.push(line);
  }
  return out.join("\n");
}

function loadClean(text: string) {
  const loaded = loadPolicyText(text, "starter.yaml", "intercept");
  expect(loaded.diagnostics).toEqual([]);
  return loaded.policy!;
}

describe("the Intercept starter policy", () => {
  const text = interceptStarter(tools, "session.jsonl");
  const doc = parse(text) as { default: string; tools: Record<string, { rules: Record<string, unknown>[] }> };

  it("is default deny with every recorded tool listed", () => {
    expect(doc.default).toBe("deny");
    expect(Object.keys(doc.tools).sort()).toEqual(tools.map((t) => t.name).sort());
  });

  it("gives each class its recommended rule", () => {
    expect(doc.tools.list_issues!.rules).toEqual([]);
    expect(doc.tools.create_issue!.rules).toEqual([{ name: "create_issue rate limit", rate_limit: "30/minute" }]);
    expect(doc.tools.run_sql!.rules).toEqual([{ name: "run_sql rate limit", rate_limit: "10/minute" }]);
    expect(doc.tools.delete_repo!.rules).toEqual([{ name: "delete_repo needs approval", action: "require_approval" }]);
    expect(doc.tools.create_refund!.rules).toEqual([{ name: "create_refund needs approval", action: "require_approval" }]);
    expect(doc.tools.frobnicate!.rules).toEqual([]);
  });

  it("comments each tool with its description, class and reason, and the alternatives", () => {
    expect(text).toContain("  # create_issue: Create an issue\n  #   Write: name starts with create_\n");
    expect(text).toContain("#       op: regex\n      #       value: \"^\\\\s*(select|SELECT)\\\\s\"");
    expect(text).toContain("#   action: deny");
    expect(text).toContain("#   - path: args.amount");
    expect(text).toMatch(/frobnicate\n.*TODO|TODO[^\n]*\n {2}frobnicate:/);
  });

  it("validates with no diagnostics and meets its own advice", () => {
    const policy = loadClean(text);
    expect(policyGaps(policy, tools).map((g) => `${g.tool}: ${g.missing}`)).toEqual(["run_sql: argument check"]);
  });

  it("the commented-out alternatives are valid rules once uncommented", () => {
    const policy = loadClean(uncommentAlternatives(text));
    expect(policy.tools.get("run_sql")!.rules.map((r) => r.id)).toEqual(["run_sql rate limit", "run_sql allowed arguments"]);
    expect(policy.tools.get("delete_repo")!.rules.map((r) => r.action)).toEqual(["require_approval", "deny"]);
    expect(policy.tools.get("create_refund")!.rules[0]!.conditions.map((c) => `${c.path} ${c.op} ${String(c.value)}`)).toEqual(["args.amount gt 10000"]);
  });

  it.skipIf(CORPUS === undefined)("validates for every tool of the corpus at once", () => {
    const corpus = readLabelledTools(CORPUS!);
    const unique = [...new Map(corpus.map((t) => [t.name, { name: t.name, description: t.description }])).values()];
    const policy = loadClean(interceptStarter(unique, "corpus"));
    expect([...policy.tools.keys()].sort()).toEqual(unique.map((t) => t.name).sort());
  });

  it("validates and lists every tool for any tool names", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }).filter((s) => s !== "*"), { minLength: 1, maxLength: 6 }), fc.string(), (names, description) => {
        const starter = interceptStarter(names.map((name) => ({ name, description })), "t.jsonl");
        const policy = loadClean(starter);
        expect([...policy.tools.keys()].sort()).toEqual([...names].sort());
      }),
      { numRuns: 150 },
    );
  });

  it("gives a Write tool whose name has a dot no rate limit, which Intercept could not validate", () => {
    const starter = interceptStarter([{ name: "github.create_issue", description: "Create an issue" }], "t.jsonl");
    expect(starter).toContain("cannot rate-limit a tool whose name has a dot");
    expect([...loadClean(starter).tools.keys()]).toEqual(["github.create_issue"]);
  });

  it("quotes YAML keys that would not read back as the same string", () => {
    expect(yamlKey("read_file")).toBe("read_file");
    expect(yamlKey("null")).toBe('"null"');
    expect(yamlKey("a: b")).toBe('"a: b"');
    expect(yamlKey("#x")).toBe('"#x"');
  });
});

describe("the PolicyLayer starter policy", () => {
  it("is default deny with a 30/minute grant limit for Write, 10 for Execute, approval for Destructive and Financial", () => {
    const doc = JSON.parse(policyLayerStarter(tools)) as { version: string; default: string; tools: Record<string, unknown> };
    expect(doc.version).toBe("1");
    expect(doc.default).toBe("deny");
    expect(doc.tools).toEqual({
      list_issues: {},
      create_issue: { limits: [{ counter: "create_issue_rate", window: "minute", max: 30, scope: "grant" }] },
      run_sql: { limits: [{ counter: "run_sql_rate", window: "minute", max: 10, scope: "grant" }] },
      delete_repo: { require_approval: true },
      create_refund: { require_approval: true },
      frobnicate: {},
    });
  });

  it("keeps a tool named __proto__ as a key", () => {
    expect(Object.keys(JSON.parse(policyLayerStarter([{ name: "__proto__" }])).tools)).toEqual(["__proto__"]);
  });
});
