/**
 * Docker's organisation MCP policies, from docs.docker.com
 * ai/sandboxes/governance/reference/mcp-policy (evaluation model: default deny, forbid over any
 * permit including @requireApproval; invokeTool; MCP::Tool annotations; MCP::Server). Where the
 * docs are silent the profile's choices (src/cedar/docker.ts) are pinned as choices.
 */
import { describe, expect, it } from "vitest";
import { decide } from "./helpers.js";

const TOOLS = [
  { name: "read_file", annotations: { readOnlyHint: true, destructiveHint: false } },
  { name: "delete_file" },
];
const call = (tool: string, extra: object = {}) => ({ tool, tools: TOOLS, claims: { sub: "dev", scope: "files:read files:write" }, ...extra });

describe("Docker: the documented evaluation model", () => {
  it("denies by default, with Docker's text", () => {
    const out = decide(`permit(principal, action, resource) when { false };`, "docker", call("read_file"), { server: "filesystem" });
    expect(out).toEqual({ decision: "deny", rule: "(no permit)", message: "policy denied tool read_file on server filesystem: (no permit)", errors: [] });
  });

  it("lets an actionless permit match a tool call", () => {
    expect(decide(`permit (principal, action, resource);`, "docker", call("read_file")).decision).toBe("allow");
  });

  it("holds a call for approval when the deciding permit carries @requireApproval", () => {
    const p = `@id("writes need a human")
@requireApproval("destructive file operation")
permit(principal, action == MCP::Action::"invokeTool", resource is MCP::Tool) when { resource.destructive };
permit(principal, action == MCP::Action::"invokeTool", resource is MCP::Tool) when { resource.readOnly };`;
    expect(decide(p, "docker", call("delete_file"))).toEqual({ decision: "approval", rule: "writes need a human", message: "destructive file operation", errors: [] });
    expect(decide(p, "docker", call("read_file"))).toMatchObject({ decision: "allow", rule: "policy1" });
  });

  it("lets a forbid override a @requireApproval permit", () => {
    const p = `@requireApproval("check it")
permit(principal, action, resource);
@id("no deletes")
forbid(principal, action, resource == MCP::Tool::"delete_file");`;
    expect(decide(p, "docker", call("delete_file"), { server: "fs" })).toMatchObject({ decision: "deny", rule: "no deletes", message: "policy denied tool delete_file on server fs: no deletes" });
  });

  it("matches the registered server as the tool's parent", () => {
    const p = `permit(principal, action, resource in MCP::Server::"github");`;
    expect(decide(p, "docker", call("read_file"), { server: "github" }).decision).toBe("allow");
    expect(decide(p, "docker", call("read_file"), { server: "gitlab" }).decision).toBe("deny");
  });

  it("gives the MCP annotation defaults for a tool the server did not annotate", () => {
    const p = `permit(principal, action, resource) when { !resource.readOnly && resource.destructive && !resource.idempotent && resource.openWorld };`;
    expect(decide(p, "docker", call("delete_file")).decision).toBe("allow");
    expect(decide(p, "docker", call("read_file")).decision).toBe("deny");
  });

  it("never matches principal clauses (the policy's scope supplies the principal)", () => {
    expect(decide(`permit(principal in MCP::Team::"eng", action, resource);`, "docker", call("read_file")).decision).toBe("deny");
  });
});

describe("Docker: the context mcptape chose to build", () => {
  it("gives oauth_scopes as a Set and request_time as a datetime", () => {
    const p = `permit(principal, action, resource) when { context.oauth_scopes.contains("files:write") && context.request_time < datetime("2026-01-02") };`;
    expect(decide(p, "docker", call("delete_file")).decision).toBe("allow");
    expect(decide(p, "docker", call("delete_file", { t: Date.parse("2026-01-03T00:00:00Z") })).decision).toBe("deny");
  });

  it("gives args only when every value has a Cedar form", () => {
    const p = `permit(principal, action, resource) when { context has args && context.args.path like "/tmp/*" };`;
    expect(decide(p, "docker", call("delete_file", { args: { path: "/tmp/x" } })).decision).toBe("allow");
    expect(decide(p, "docker", call("delete_file", { args: { path: "/tmp/x", mode: null } })).decision).toBe("deny");
  });

  it("denies on an evaluation error", () => {
    const p = `permit(principal, action, resource);\npermit(principal, action, resource) when { context.args.path == "x" };`;
    const out = decide(p, "docker", call("read_file"));
    expect(out).toMatchObject({ decision: "deny", rule: "(evaluation error)" });
    expect(out.errors[0]).toMatch(/^policy1: /);
  });
});
