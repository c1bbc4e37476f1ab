/**
 * The Cedar engine's contract with the rest of mcptape. A profile rebuilds one gateway's
 * request from an MCP tools/call; the official engine (@cedar-policy/cedar-wasm) decides.
 * Everything outside src/cedar/ speaks to Cedar only through these types.
 */
import type { Diagnostic } from "../errors.js";

export const CEDAR_PROFILES = ["toolhive", "agentcore", "docker", "cedar-for-agents"] as const;
export type CedarProfile = (typeof CEDAR_PROFILES)[number];

/** Settings a profile needs beyond the policy text (flags, or a scenario's `gateway:`). */
export interface ProfileSettings {
  /** ToolHive's server name (the resource's `MCP::"<server>"` parent), Docker's registered server. */
  server?: string;
  /** AgentCore target: the action is `<target>___<tool>`. */
  target?: string;
  /** AgentCore gateway ARN: the resource `AgentCore::Gateway::"<arn>"`. */
  gatewayArn?: string;
  /** Extra entities, in Cedar's JSON entity format (`--entities FILE`, or a ToolHive config's `entities_json`). */
  entities?: unknown[];
  /** cedar-for-agents schema stub text (`--stub FILE`) with `@mcp_principal` / `@mcp_resource`. */
  stub?: string;
  /** ToolHive's authz config options beyond the policies (from its `cedar:` mapping). */
  toolhive?: ToolhiveOptions;
  /** The MCP schema generator's options (cedar-for-agents), as its config JSON names them. */
  generator?: GeneratorOptions;
}

export interface GeneratorOptions {
  /** JSON `number` as a Cedar decimal (4 places) instead of a `Number` entity. */
  numbersAsDecimal?: boolean;
  /** Objects without `additionalProperties` as records instead of entities. */
  objectsAsRecords?: boolean;
}

export interface ToolhiveOptions {
  /** `group_claim_name`: the claim that holds groups; takes priority over the well-known names. */
  groupClaimName?: string;
  /** `role_claim_name`: a second claim whose values also become group parents. */
  roleClaimName?: string;
  /** `group_entity_type`: the entity type of those parents (default `THVGroup`). */
  groupEntityType?: string;
  /** `multi_valued_claims`: claims also exposed as a space-joined `claim_<k>` and a `claimset_<k>` Set. */
  multiValuedClaims?: string[];
}

/** What the tape's tools/list said about one tool. */
export interface ToolDescription {
  name: string;
  annotations?: Record<string, unknown>;
  inputSchema?: unknown;
}

/** One tools/call as the Cedar engine sees it. */
export interface CedarCall {
  tool: string;
  /** The call's `arguments`, as JSON (undefined when the call had none). */
  args: unknown;
  /** Claims of the caller's bearer token (from the session line, --claims FILE or a scenario). */
  claims: Record<string, unknown> | undefined;
  /** The session's identity, when known (used where a profile needs an id and no claim gives one). */
  identity: string | undefined;
  /** Tools from the last tools/list answer before this call, by name. */
  tools: ReadonlyMap<string, ToolDescription>;
  /** Virtual time of the call, ms since the epoch (Docker's `request_time`). */
  t: number;
}

export interface CedarOutcome {
  /** `undecided`: the profile cannot build the request the gateway would send (Built.undecidable). */
  decision: "allow" | "deny" | "approval" | "undecided";
  /**
   * The determining policies in file order, `@id` or `policy<N>`, joined with ", ";
   * `(no permit)`, `(evaluation error)` or `(no principal)` as docs/spec/dialect-cedar.md says.
   * null for an allow with no policy named (never under Cedar: an allow always has a permit).
   */
  rule: string | null;
  /** What the profile's gateway tells the agent on a refusal; null when allowed. */
  message: string | null;
  /** Every evaluation error, whatever the profile did with it. */
  errors: string[];
}

/** A loaded Cedar policy set under one profile: a pure function of the call. */
export interface CedarEngine {
  readonly profile: CedarProfile;
  decide(call: CedarCall): CedarOutcome;
  /** Every policy's name (`@id` or `policy<N>`) in file order, for coverage. */
  policyNames(): string[];
  /** Whether the profile's gateway lists `call.tool` to this caller in its tools/list answer (the call's args are ignored). */
  listed(call: CedarCall): boolean;
  /** Whether some permit's action and resource constraints match a call of the tool, whoever calls; null when the profile cannot tell. */
  reachable(tool: string, tools: ReadonlyMap<string, ToolDescription>): boolean | null;
  /** validate's checks beyond parsing: Cedar's validator against a schema, and the profile's warnings. */
  review(input: ReviewInput): CedarReview;
}

/** What validate knows beside the policies. */
export interface ReviewInput {
  /** The tools a tape or tools JSON lists (`--tools`), and where they came from. */
  tools?: { source: string; list: ToolDescription[] };
  /** A Cedar schema (`--schema FILE`): its text, as .cedarschema or JSON. */
  schema?: { file: string; text: string };
}

export interface CedarReview {
  diagnostics: Diagnostic[];
  /** Which schema Cedar's validator ran against, or why it did not run: one line for the report. */
  schema: string;
}

export interface LoadedCedar {
  /** null when there is any error. */
  engine: CedarEngine | null;
  /** Parse errors at file:line:col, profile warnings; in file order. */
  diagnostics: Diagnostic[];
}
