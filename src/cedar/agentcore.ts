/**
 * AWS Bedrock AgentCore Gateway with AgentCore Policy, from AWS's documentation only (no source
 * is public): policy-authorization-flow, policy-scope, policy-schema-constraints.
 *  - principal `AgentCore::OAuthUser::"<sub>"`, attribute `id: <sub>`, every other claim as a
 *    tag (an array `scope` joined with spaces, as a token's scope string reads); a caller with
 *    no token (a gateway with AWS_IAM authorization) whose identity is an IAM ARN is
 *    `AgentCore::IamEntity::"<arn>"`, attribute `id: <arn>` (policy-scope, "IAM Entity Principal":
 *    "the id attribute contains the caller's IAM ARN"; the entity's own id is not documented: the ARN).
 *  - action `AgentCore::Action::"<target>___<tool>"`, in `CallTool`, itself in `Mcp`, and in its
 *    target's action group `AgentCore::Action::"<target>"` (policy-scope, "Multiple actions":
 *    `action in AgentCore::Action::"ReadToolsTarget"`; the group's own parents are not documented: none).
 *  - resource `AgentCore::Gateway::"<arn>"`.
 *  - context `{input: <arguments>}`, typed by the tool's inputSchema (integer → Long, number → decimal).
 * Evaluation errors follow the Rust engine: the erroring policy is skipped.
 */
import type { CedarCall, ProfileSettings } from "./types.js";
import type { Built, Profile } from "./engine.js";
import { typedRecord, typedValue } from "./json-values.js";
import { agentcoreActionId, agentcoreTargetOf } from "./agentcore-action.js";
import type { CedarValueJson, EntityJson, TypeAndId } from "./wasm.js";

/** As a field report quotes AgentCore's AuthorizeActionException; not in AWS's reference. */
export const AGENTCORE_DENY_MESSAGE = "Tool Execution Denied: Tool call not allowed due to policy enforcement";
/** Used when no --gateway-arn is given: policies that name a specific gateway will not match it. */
export const UNNAMED_GATEWAY = "arn:aws:bedrock-agentcore:unknown:000000000000:gateway/unnamed";

const ACTION = "AgentCore::Action";

export function agentcoreProfile(settings: ProfileSettings): Profile {
  const gateway: TypeAndId = { type: "AgentCore::Gateway", id: settings.gatewayArn ?? UNNAMED_GATEWAY };
  const hierarchy: EntityJson[] = [
    { uid: { type: ACTION, id: "CallTool" }, attrs: {}, parents: [{ type: ACTION, id: "Mcp" }] },
    { uid: { type: ACTION, id: "Mcp" }, attrs: {}, parents: [] },
    { uid: gateway, attrs: {}, parents: [] },
  ];
  return {
    name: "agentcore",
    errorsDeny: false,
    listFilter: "some-input",
    denyMessage: () => AGENTCORE_DENY_MESSAGE,
    build(call: CedarCall): Built {
      const principalOf = callerOf(call);
      if (principalOf === undefined) {
        return { refused: "(no principal)", why: "no `sub` claim for this caller and no IAM ARN as its identity: AgentCore's OAuth principal is the token's `sub`, its AWS_IAM principal the caller's ARN" };
      }
      const actionId = agentcoreActionId(call.tool, settings.target);
      // Without it the request is still built (for the tools/list filter and the review), but no gateway sends it.
      const undecidable = actionId !== undefined ? undefined
        : `cannot decide without --target: tool ${call.tool} has no "<target>___" prefix, and the action AgentCore::Action::"${call.tool}" is one no AgentCore gateway sends; give the gateway target with --target`;
      const { principal, entity: principalEntity } = principalOf;
      const action: TypeAndId = { type: ACTION, id: actionId ?? call.tool };
      const target = actionId !== undefined ? agentcoreTargetOf(actionId) : undefined;
      const group: TypeAndId | undefined = target !== undefined ? { type: ACTION, id: target } : undefined;
      const own: EntityJson[] = [
        principalEntity,
        { uid: action, attrs: {}, parents: [{ type: ACTION, id: "CallTool" }, ...(group ? [group] : [])] },
        ...(group ? [{ uid: group, attrs: {}, parents: [] }] : []),
        ...hierarchy,
      ];
      const schema = call.tools.get(call.tool)?.inputSchema;
      const input = call.args !== null && typeof call.args === "object" && !Array.isArray(call.args)
        ? typedRecord(call.args as Record<string, unknown>, schema)
        : {};
      return {
        request: { principal, action, resource: gateway, context: { input }, entities: own },
        ...(undecidable !== undefined ? { undecidable } : {}),
      };
    },
  };
}

/** An IAM user's or role's ARN, or an STS assumed role's, in any partition: who calls an AWS_IAM gateway. */
const IAM_ARN = /^arn:aws(?:-[a-z]+)*:(?:iam|sts)::\d{12}:\S+$/;

/** Whether `identity` is a caller AgentCore's AWS_IAM authorization names (an IAM ARN). */
export function isIamArn(identity: string | undefined): identity is string {
  return identity !== undefined && IAM_ARN.test(identity);
}

/** The call's principal: the token's `sub` (OAuthUser), else an IAM ARN identity (IamEntity); none without either. */
function callerOf(call: CedarCall): { principal: TypeAndId; entity: EntityJson } | undefined {
  const sub = call.claims?.sub;
  if (typeof sub === "string" && sub !== "") {
    const principal = { type: "AgentCore::OAuthUser", id: sub };
    return { principal, entity: { uid: principal, attrs: { id: sub }, parents: [], tags: tagsOf(call.claims!) } };
  }
  if (call.claims === undefined && isIamArn(call.identity)) {
    const principal = { type: "AgentCore::IamEntity", id: call.identity };
    return { principal, entity: { uid: principal, attrs: { id: call.identity }, parents: [] } };
  }
  return undefined;
}

function tagsOf(claims: Record<string, unknown>): Record<string, CedarValueJson> {
  const tags: Record<string, CedarValueJson> = {};
  for (const [k, v] of Object.entries(claims)) {
    if (k === "sub") continue;
    const value = k === "scope" && Array.isArray(v) ? v.filter((s) => typeof s === "string").join(" ") : v;
    const typed = typedValue(value, undefined);
    if (typed !== undefined) tags[k] = typed;
  }
  return tags;
}
