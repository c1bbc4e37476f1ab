/**
 * The engine decides a repeated call once, keyed by the raw call: the key must hold everything a
 * profile's request is built from, or a repeat would reuse a stale decision.
 */
import { describe, expect, it } from "vitest";
import { loadCedar, type CedarCall, type CedarEngine, type CedarProfile, type ToolDescription } from "../../src/cedar/index.js";

function engineOf(profile: CedarProfile, text: string): CedarEngine {
  const loaded = loadCedar(text, "p.cedar", profile, {});
  if (!loaded.engine) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.engine;
}

function call(tool: ToolDescription, over: Partial<CedarCall> = {}): CedarCall {
  return { tool: tool.name, args: { path: "/tmp/a" }, claims: { sub: "alice" }, identity: "alice", tools: new Map([[tool.name, tool]]), t: 0, ...over };
}

describe("the decision cache keyed by the raw call", () => {
  it("a repeat of the same call is decided as the first", () => {
    const engine = engineOf("toolhive", `permit(principal, action, resource) when { context.arg_path like "/tmp/*" };`);
    const read = { name: "read" };
    expect(engine.decide(call(read)).decision).toBe("allow");
    expect(engine.decide(call(read)).decision).toBe("allow");
    expect(engine.decide(call(read, { args: { path: "/etc/passwd" } })).decision).toBe("deny");
    expect(engine.decide(call(read, { claims: { sub: "" } })).rule).toBe("(no principal)");
  });

  it("a tool described anew by a later tools/list is decided with its new annotations", () => {
    const engine = engineOf("toolhive", `permit(principal, action, resource) when { resource has readOnlyHint && resource.readOnlyHint };`);
    expect(engine.decide(call({ name: "write", annotations: { readOnlyHint: true } })).decision).toBe("allow");
    expect(engine.decide(call({ name: "write", annotations: { readOnlyHint: false } })).decision).toBe("deny");
  });

  it("Docker's request_time: the same call at another time is decided at that time", () => {
    const engine = engineOf("docker", `permit(principal, action, resource) when { context.request_time < datetime("2026-01-01T00:00:00Z") };`);
    const tool = { name: "read" };
    expect(engine.decide(call(tool, { t: Date.parse("2025-12-31T23:59:59Z") })).decision).toBe("allow");
    expect(engine.decide(call(tool, { t: Date.parse("2026-01-01T00:00:01Z") })).decision).toBe("deny");
  });
});
