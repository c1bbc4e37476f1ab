/**
 * The schemas validate generates and the requests replay builds agree: a request the profile
 * builds for a call passes Cedar's request and entity validation (cedar-wasm isAuthorized with
 * the schema and validateRequest) against the schema validate generates, through the official
 * MCP schema generator, from the same tools. A profile that typed an input differently from
 * the schema (a Long where it says decimal, a String where it says an enum entity) fails here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AGENTCORE_STUB, generatedSchema } from "../../src/cedar/review.js";
import { agentcoreProfile } from "../../src/cedar/agentcore.js";
import { cedarForAgentsProfile } from "../../src/cedar/cedar-for-agents.js";
import { cedar, type Schema } from "../../src/cedar/wasm.js";
import type { Profile } from "../../src/cedar/engine.js";
import type { CedarCall, CedarProfile, ProfileSettings, ToolDescription } from "../../src/cedar/types.js";
import { CEDAR } from "./helpers.js";

const STUB = readFileSync(join(CEDAR, "agents.cedarschema"), "utf8");

const REFUND: ToolDescription = {
  name: "refund",
  inputSchema: {
    type: "object",
    properties: {
      amount: { type: "number" },
      count: { type: "integer" },
      reason: { type: "string" },
      urgent: { type: "boolean" },
      tags: { type: "array", items: { type: "string" } },
      mode: { type: "string", enum: ["card", "cash"] },
      meta: { type: "object", properties: { ticket: { type: "string" } } },
    },
    required: ["amount"],
  },
};
const ARGS = { amount: 12.5, count: 3, reason: "damaged", urgent: true, tags: ["vip"], mode: "card", meta: { ticket: "T-1" } };

function schemaFor(stub: string, profile: CedarProfile, settings: ProfileSettings, tool: ToolDescription): Schema {
  const generated = generatedSchema(stub, profile, settings, [tool]);
  if ("refused" in generated) throw new Error(generated.refused);
  return generated.schema;
}

const OAUTH_CALLER = { claims: { sub: "alice", scope: "refund:write", username: "Alice" }, identity: undefined };

/** Cedar's validation of the built request and its entities against the schema: its errors, none when it passes. */
function validationErrors(profile: Profile, tool: ToolDescription, args: unknown, schema: Schema, caller: Pick<CedarCall, "claims" | "identity"> = OAUTH_CALLER): string[] {
  const call: CedarCall = { tool: tool.name, args, ...caller, tools: new Map([[tool.name, tool]]), t: 0 };
  const built = profile.build(call);
  if ("refused" in built) return [`refused: ${built.why}`];
  if ("unbuilt" in built) return [`not built: ${built.unbuilt}`];
  const answer = cedar().isAuthorized({ ...built.request, policies: { staticPolicies: "permit(principal, action, resource);" }, schema, validateRequest: true });
  return answer.type === "failure" ? answer.errors.map((e) => e.message) : [];
}

/** The same tool with `count` typed as text: its request no longer fits a schema that says Long. */
const COUNT_AS_TEXT: ToolDescription = { name: "refund", inputSchema: { type: "object", properties: { count: { type: "string" } } } };

describe("generated schemas agree with the requests the profiles build", () => {
  for (const generator of [{}, { numbersAsDecimal: true }, { objectsAsRecords: true }]) {
    it(`cedar-for-agents, generator options ${JSON.stringify(generator)}`, () => {
      const settings = { stub: STUB, generator };
      const { profile } = cedarForAgentsProfile(settings, "p.cedar");
      const schema = schemaFor(STUB, "cedar-for-agents", settings, REFUND);
      expect(validationErrors(profile!, REFUND, ARGS, schema)).toEqual([]);
      expect(validationErrors(profile!, COUNT_AS_TEXT, { count: "3" }, schema)).not.toEqual([]);
    });
  }

  // AWS policy-schema-constraints: the action <target>___<tool> in CallTool; string → String,
  // integer → Long, boolean → Bool, number → Decimal (an enum is a string: no enum entity types).
  it("agentcore: the request for <target>___<tool> fits the schema generated from the AgentCore stub", () => {
    const settings = { target: "shop" };
    const schema = schemaFor(AGENTCORE_STUB, "agentcore", settings, REFUND);
    expect(validationErrors(agentcoreProfile(settings), REFUND, ARGS, schema)).toEqual([]);
    expect(validationErrors(agentcoreProfile(settings), COUNT_AS_TEXT, { count: "3" }, schema)).not.toEqual([]);
  });

  it("agentcore: an AWS_IAM caller's request (AgentCore::IamEntity with its ARN as id) fits the same schema", () => {
    const settings = { target: "shop" };
    const schema = schemaFor(AGENTCORE_STUB, "agentcore", settings, REFUND);
    const iam = { claims: undefined, identity: "arn:aws:iam::123456789012:role/refund-agent" };
    expect(validationErrors(agentcoreProfile(settings), REFUND, ARGS, schema, iam)).toEqual([]);
  });
});
