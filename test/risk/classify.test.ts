import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RISK_CLASSES } from "../../src/risk/classes.js";
import { classifyTool } from "../../src/risk/classify.js";
import { leadingWords, nameWords } from "../../src/risk/tokens.js";
import { VERBS } from "../../src/risk/words.js";
import type { ToolInfo } from "../../src/tape/tools.js";

const classOf = (name: string, rest: Partial<ToolInfo> = {}) => classifyTool({ ...rest, name });

describe("tool names split into words", () => {
  it("snake_case, kebab-case and camelCase split alike", () => {
    expect(nameWords("delete_file")).toEqual(["delete", "file"]);
    expect(nameWords("drop-collection")).toEqual(["drop", "collection"]);
    expect(nameWords("deleteCompassComponent")).toEqual(["delete", "compass", "component"]);
    expect(nameWords("runSEOAudit")).toEqual(["run", "seo", "audit"]);
    expect(nameWords("Run-Funnels-Query")).toEqual(["run", "funnels", "query"]);
  });

  it("a description's leading verb list is read up to the first non-verb joiner", () => {
    expect(leadingWords("List and create keys, secrets")).toEqual(["list", "create"]);
    expect(leadingWords("Read/create/update/delete Kubernetes resources")).toEqual(["read", "create", "update", "delete"]);
    expect(leadingWords("Returns the sum")).toEqual(["returns"]);
  });

  it("no verb belongs to two classes", () => {
    const all = Object.values(VERBS).flat();
    expect(all.filter((v, i) => all.indexOf(v) !== i)).toEqual([]);
  });
});

describe("risk classes from names", () => {
  it("name starts with delete_ makes a tool Destructive", () => {
    expect(classOf("delete_file")).toEqual({ class: "Destructive", reason: "name starts with delete_" });
    expect(classOf("drop-collection").class).toBe("Destructive");
    expect(classOf("deleteConfluencePage")).toEqual({ class: "Destructive", reason: "name starts with delete" });
  });

  it("a verb after a vendor prefix or at the end still counts", () => {
    expect(classOf("notion-delete-page").class).toBe("Destructive");
    expect(classOf("d1_database_delete")).toEqual({ class: "Destructive", reason: "name has the verb delete (word 3 of 3)" });
    expect(classOf("asana_get_task").class).toBe("Read");
  });

  it("each verb group gives its class", () => {
    expect(classOf("list_issues").class).toBe("Read");
    expect(classOf("create_issue").class).toBe("Write");
    expect(classOf("send_message").class).toBe("Write");
    expect(classOf("execute_sql").class).toBe("Execute");
    expect(classOf("invoke_agent_runtime").class).toBe("Execute");
    expect(classOf("purge_cache").class).toBe("Destructive");
  });

  it("money nouns outrank read and write verbs", () => {
    expect(classOf("list_charges")).toEqual({ class: "Financial", reason: "name mentions charges" });
    expect(classOf("create_refund").class).toBe("Financial");
    expect(classOf("cancel_subscription").class).toBe("Financial");
    expect(classOf("pay_order").class).toBe("Financial");
  });

  it("a name with no known word is Other", () => {
    expect(classOf("frobnicate")).toEqual({ class: "Other", reason: "no verb, money noun or annotation recognised" });
  });

  it("a name naming something read, with no verb, is Read", () => {
    expect(classOf("cognify_status").class).toBe("Read");
  });
});

describe("annotations and descriptions", () => {
  it("annotation destructiveHint: true makes a tool Destructive", () => {
    expect(classOf("write_file", { annotations: { readOnlyHint: false, destructiveHint: true } })).toEqual({ class: "Destructive", reason: "annotation destructiveHint: true" });
  });

  it("annotation readOnlyHint: true makes a tool Read, over a run verb but not over a delete verb", () => {
    expect(classOf("trigger-long-running-operation", { annotations: { readOnlyHint: true } })).toEqual({
      class: "Read", reason: 'annotation readOnlyHint: true, over the name\'s "trigger"',
    });
    expect(classOf("delete_all", { annotations: { readOnlyHint: true } }).class).toBe("Destructive");
  });

  it("annotation readOnlyHint: false turns a read verb into Write", () => {
    expect(classOf("simulate-research-query", { annotations: { readOnlyHint: false } }).class).toBe("Write");
    expect(classOf("toggle_thing", { annotations: { readOnlyHint: false } }).class).toBe("Write");
    expect(classOf("frobnicate", { annotations: { readOnlyHint: false } })).toEqual({ class: "Write", reason: "annotation readOnlyHint: false" });
  });

  it("a name without a verb is classed by the riskiest verb its description starts with", () => {
    expect(classOf("keyvault", { description: "List and create keys, secrets" })).toEqual({ class: "Write", reason: 'description starts with "create"' });
    expect(classOf("acr", { description: "Lists container registries" }).class).toBe("Read");
    expect(classOf("k8s", { description: "Read/create/update/delete Kubernetes resources" }).class).toBe("Destructive");
  });

  it("a description saying the action cannot be undone makes a tool Destructive", () => {
    expect(classOf("archive_project", { description: "Archives a project. This permanently removes its data." }).class).toBe("Destructive");
  });

  it("every name and description gets a class from the six and a reason", () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), fc.record({ readOnlyHint: fc.option(fc.boolean(), { nil: undefined }), destructiveHint: fc.option(fc.boolean(), { nil: undefined }) }), (name, description, annotations) => {
        const c = classifyTool({ name, ...(description !== undefined ? { description } : {}), annotations });
        expect(RISK_CLASSES).toContain(c.class);
        expect(c.reason.length).toBeGreaterThan(0);
      }),
    );
  });
});
