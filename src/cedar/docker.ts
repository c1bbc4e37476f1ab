/**
 * Docker Sandboxes' organisation MCP policies (Docker's MCP gateway), from Docker's documentation
 * only (docs.docker.com ai/sandboxes/governance/reference/mcp-policy; the gateway is closed):
 *  - action `MCP::Action::"invokeTool"`;
 *  - resource `MCP::Tool` with `name` and the annotations (`readOnly` false, `destructive` true,
 *    `idempotent` false, `openWorld` true when the server does not say), in `MCP::Server::"<server>"`;
 *  - context `{request_time, oauth_scopes, args?}`;
 *  - default deny, forbid wins (over `@requireApproval` too), errors deny;
 *  - a deciding permit annotated `@requireApproval("reason")` holds the call for approval.
 * Where the docs are silent, mcptape chooses (and docs/spec/dialect-cedar.md says so):
 *  - principal `MCP::User::"<sub, else identity, else anonymous>"`, no attributes or parents (the
 *    docs say policy scope supplies the principal and principal clauses never match);
 *  - the tool's id is its name; the server is `--server`, else `default`;
 *  - `request_time` is a Cedar `datetime` of the call's virtual time; `oauth_scopes` the Set of
 *    the `scope` (space-split) or `scp` claim; `args` the arguments typed by the input schema,
 *    present only when every value has a Cedar form (no null, no number outside Long/decimal);
 *  - when several permits decide and any asks for approval, the call is held (the stricter reading);
 *  - the reason in the deny text is the rule: the deciding forbids, or `(no permit)`.
 */
import type { CedarCall, ProfileSettings } from "./types.js";
import type { Answer, Built, Profile } from "./engine.js";
import { typedRecord, typedValue } from "./json-values.js";
import type { CedarValueJson, EntityJson, TypeAndId } from "./wasm.js";

export const DOCKER_DEFAULT_SERVER = "default";

/** The MCP annotation hints and the Docker attribute each becomes, with the MCP spec's defaults. */
const HINTS: [hint: string, attribute: string, byDefault: boolean][] = [
  ["readOnlyHint", "readOnly", false],
  ["destructiveHint", "destructive", true],
  ["idempotentHint", "idempotent", false],
  ["openWorldHint", "openWorld", true],
];

export function dockerProfile(settings: ProfileSettings): Profile {
  const server = settings.server ?? DOCKER_DEFAULT_SERVER;
  const serverUid: TypeAndId = { type: "MCP::Server", id: server };
  const action: TypeAndId = { type: "MCP::Action", id: "invokeTool" };
  return {
    name: "docker",
    errorsDeny: true,
    listFilter: "none",
    readsTime: true,
    denyMessage: (call, rule) => `policy denied tool ${call.tool} on server ${server}: ${rule}`,
    approval: approvalOf,
    build(call: CedarCall): Built {
      const sub = call.claims?.sub;
      const principal: TypeAndId = {
        type: "MCP::User",
        id: typeof sub === "string" && sub !== "" ? sub : (call.identity ?? "anonymous"),
      };
      const resource: TypeAndId = { type: "MCP::Tool", id: call.tool };
      const tool = call.tools.get(call.tool);
      const attrs: Record<string, CedarValueJson> = { name: call.tool };
      for (const [hint, attribute, byDefault] of HINTS) {
        const given = tool?.annotations?.[hint];
        attrs[attribute] = typeof given === "boolean" ? given : byDefault;
      }
      const own: EntityJson[] = [
        { uid: principal, attrs: {}, parents: [] },
        { uid: action, attrs: {}, parents: [] },
        { uid: resource, attrs, parents: [serverUid] },
        { uid: serverUid, attrs: { name: server }, parents: [] },
      ];
      const context: Record<string, CedarValueJson> = {
        request_time: { __extn: { fn: "datetime", arg: new Date(call.t).toISOString() } },
        oauth_scopes: scopesOf(call.claims),
      };
      const args = supportedArgs(call.args, tool?.inputSchema);
      if (args !== undefined) context.args = args;
      return { request: { principal, action, resource, context, entities: own } };
    },
  };
}

function approvalOf(answer: Answer): string | null {
  const asking = answer.determining.find((p) => p.effect === "permit" && "requireApproval" in p.annotations);
  if (!asking) return null;
  return asking.annotations.requireApproval || `approval required by ${asking.name}`;
}

function scopesOf(claims: Record<string, unknown> | undefined): string[] {
  const scope = claims?.scope ?? claims?.scp;
  if (typeof scope === "string") return scope.split(/\s+/).filter((s) => s !== "");
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === "string");
  return [];
}

function supportedArgs(args: unknown, schema: unknown): Record<string, CedarValueJson> | undefined {
  if (args === null || typeof args !== "object" || Array.isArray(args) || !representable(args)) return undefined;
  return typedRecord(args as Record<string, unknown>, schema);
}

/** Whether every value has a Cedar form: Cedar has no null, and no number outside Long and decimal. */
function representable(value: unknown): boolean {
  if (value === null) return false;
  if (typeof value === "number") return typedValue(value, undefined) !== undefined;
  if (Array.isArray(value)) return value.every(representable);
  if (typeof value === "object") return Object.values(value).every(representable);
  return true;
}
