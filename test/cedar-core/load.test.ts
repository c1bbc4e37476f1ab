import { describe, expect, it, vi } from "vitest";
import {
  isToolhiveConfig, loadCedar, loadToolhiveConfig, looksLikeCedar, readToolhiveConfig, recognizeRecorded,
} from "../../src/cedar/index.js";
import { cedar } from "../../src/cedar/wasm.js";
import { callOf, engineFor } from "./helpers.js";

describe("loadCedar", () => {
  it("reports a parse error at its line and column, counting characters after a multi-byte one", () => {
    const text = `permit(principal, action, resource);\n// é\nforbid(principal, action resource);\n`;
    const { engine, diagnostics } = loadCedar(text, "p.cedar", "toolhive", {});
    expect(engine).toBeNull();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: "p.cedar", line: 3, col: 26, severity: "error" });
    expect(diagnostics[0]!.message).toMatch(/unexpected token `resource`/);
  });

  it("names policies by file position past ten (policy2 is the third, not the thirteenth)", () => {
    const text = Array.from({ length: 13 }, (_, i) => `permit(principal, action, resource == Tool::"t${i}");`).join("\n");
    const engine = engineFor(text, "toolhive");
    expect(engine.policyNames()[2]).toBe("policy2");
    expect(engine.decide(callOf({ tool: "t2", claims: { sub: "u" } })).rule).toBe("policy2");
    expect(engine.decide(callOf({ tool: "t12", claims: { sub: "u" } })).rule).toBe("policy12");
  });

  it("lists @id names in file order", () => {
    const text = Array.from({ length: 12 }, (_, i) => `@id("p-${i}") permit(principal, action, resource);`).join("\n");
    expect(engineFor(text, "toolhive").policyNames()).toEqual(Array.from({ length: 12 }, (_, i) => `p-${i}`));
  });

  it("refuses an empty set under toolhive, as ToolHive refuses to start", () => {
    const { engine, diagnostics } = loadCedar("// nothing\n", "p.cedar", "toolhive", {});
    expect(engine).toBeNull();
    expect(diagnostics[0]!.message).toMatch(/at least one policy/);
  });

  it("refuses templates, which no gateway links", () => {
    const { engine, diagnostics } = loadCedar(`permit(principal == ?principal, action, resource);`, "p.cedar", "docker", {});
    expect(engine).toBeNull();
    expect(diagnostics[0]!.message).toMatch(/templates/);
  });

  it("asks Cedar once for identical requests (the cache answers the repeats)", () => {
    const engine = engineFor(`permit(principal, action, resource) when { context.arg_n == "x" };`, "toolhive");
    const asked = vi.spyOn(cedar(), "statefulIsAuthorized");
    try {
      const call = callOf({ tool: "t", args: { n: "x" }, claims: { sub: "u" } });
      const first = engine.decide(call);
      expect(engine.decide(call)).toEqual(first);
      expect(engine.decide(callOf({ tool: "t", args: { n: "x" }, claims: { sub: "u" } }))).toEqual(first);
      expect(asked).toHaveBeenCalledTimes(1);
      expect(engine.decide(callOf({ tool: "t", args: { n: "y" }, claims: { sub: "u" } })).decision).toBe("deny");
      expect(asked).toHaveBeenCalledTimes(2);
    } finally {
      asked.mockRestore();
    }
  });
});

const CONFIG_YAML = `version: "1.0"
type: cedarv1
cedar:
  group_claim_name: https://example.com/groups
  multi_valued_claims: [scp]
  entities_json: '[{"uid": {"type": "MCP", "id": "github"}, "attrs": {}, "parents": []}]'
  policies:
    - permit(principal, action == Action::"call_tool", resource == Tool::"weather");
    - |
      permit(principal in THVGroup::"eng", action, resource)
      when { context.arg_x == 1 &&& true };
`;

describe("ToolHive config", () => {
  it("is recognised by type cedarv1 with a cedar mapping", () => {
    expect(isToolhiveConfig({ version: "1.0", type: "cedarv1", cedar: { policies: [] } })).toBe(true);
    expect(isToolhiveConfig({ type: "httpv1", cedar: {} })).toBe(false);
    expect(isToolhiveConfig({ type: "cedarv1" })).toBe(false);
  });

  it("reads the options and entities_json under ToolHive's field names", () => {
    const config = readToolhiveConfig(CONFIG_YAML, "authz.yaml");
    expect(config.settings.toolhive).toEqual({ groupClaimName: "https://example.com/groups", multiValuedClaims: ["scp"] });
    expect(config.settings.entities).toEqual([{ uid: { type: "MCP", id: "github" }, attrs: {}, parents: [] }]);
  });

  it("places a parse error inside a block policy at its line and column in the config file", () => {
    const { engine, diagnostics } = loadToolhiveConfig(CONFIG_YAML, "authz.yaml");
    expect(engine).toBeNull();
    const error = diagnostics.find((d) => d.severity === "error")!;
    expect(error.file).toBe("authz.yaml");
    expect(error.line).toBe(11);
    expect(CONFIG_YAML.split("\n")[error.line - 1]!.slice(error.col - 1)).toMatch(/^&/);
  });

  it("loads a JSON config, with the server from flags, and names its policies by index", () => {
    const json = JSON.stringify({
      version: "1.0", type: "cedarv1",
      cedar: { policies: [`forbid(principal, action, resource == Tool::"rm");`, `permit(principal, action, resource in MCP::"github");`], entities_json: "[]" },
    });
    const { engine, diagnostics } = loadToolhiveConfig(json, "authz.json", { server: "github" });
    expect(diagnostics).toEqual([]);
    expect(engine!.decide(callOf({ tool: "ls", claims: { sub: "u" } })).rule).toBe("policy1");
    expect(engine!.decide(callOf({ tool: "rm", claims: { sub: "u" } })).rule).toBe("policy0");
  });

  it("refuses an entry holding two policies: ToolHive parses each entry as one", () => {
    const json = JSON.stringify({ type: "cedarv1", cedar: { policies: ["permit(principal, action, resource); forbid(principal, action, resource);"] } });
    const { engine, diagnostics } = loadToolhiveConfig(json, "authz.json");
    expect(engine).toBeNull();
    expect(diagnostics[0]!.message).toMatch(/holds 2 policies/);
  });

  it("refuses a config with no policies", () => {
    const { engine, diagnostics } = loadToolhiveConfig(`type: cedarv1\ncedar:\n  policies: []\n`, "authz.yaml");
    expect(engine).toBeNull();
    expect(diagnostics[0]).toMatchObject({ line: 3, severity: "error" });
  });
});

describe("looksLikeCedar", () => {
  it.each([
    [`permit(principal, action, resource);`, true],
    [`// header\n@id("a")\n@requireApproval("why")\nforbid (principal, action, resource);`, true],
    [`version: "1"\nrules: []`, false],
    [`{"type": "cedarv1"}`, false],
  ])("%j → %s", (text, expected) => {
    expect(looksLikeCedar(text)).toBe(expected);
  });
});

describe("recognizeRecorded", () => {
  it("reads ToolHive's 403 Unauthorized as a deny, and its 429 as a throttle", () => {
    const denied = { jsonrpc: "2.0", id: 1, error: { code: 403, message: "Unauthorized" } };
    expect(recognizeRecorded("toolhive", denied, 403).recorded).toEqual({ decision: "deny", message: "Unauthorized" });
    const limited = { jsonrpc: "2.0", id: 1, error: { code: 429, message: "Rate limit exceeded", data: { retryAfterSeconds: 3 } } };
    expect(recognizeRecorded("toolhive", limited, 429).recorded.decision).toBe("throttle");
  });

  it("reads AgentCore's denial text and Docker's, as an error or an isError result", () => {
    const agentcore = { error: { code: -32002, message: "Tool Execution Denied: Tool call not allowed due to policy enforcement" } };
    expect(recognizeRecorded("agentcore", agentcore).recorded.decision).toBe("deny");
    const docker = { result: { isError: true, content: [{ type: "text", text: "policy denied tool rm on server fs: (no permit)" }] } };
    expect(recognizeRecorded("docker", docker)).toEqual({ outcome: "isError", recorded: { decision: "deny", message: "policy denied tool rm on server fs: (no permit)" } });
  });

  it("reads a server's own failure as an allow (the gateway let the call through)", () => {
    const failed = { result: { isError: true, content: [{ type: "text", text: "file not found" }] } };
    expect(recognizeRecorded("docker", failed).recorded.decision).toBe("allow");
    expect(recognizeRecorded("toolhive", { error: { code: -32603, message: "Unauthorized" } }).recorded.decision).toBe("allow");
  });
});

describe("extra entities", () => {
  it("are refused at load time when Cedar cannot read them, rather than failing every call", () => {
    const { engine, diagnostics } = loadCedar(`permit(principal, action, resource);`, "p.cedar", "toolhive", { entities: [{ uid: "not an entity" }] });
    expect(engine).toBeNull();
    expect(diagnostics[0]!.message).toMatch(/extra entities do not parse/);
  });
});
