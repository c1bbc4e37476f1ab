/**
 * validate's checks of a loaded Cedar policy set beyond parsing (docs/spec/dialect-cedar.md,
 * "Validation"): Cedar's own validator against a schema (`--schema FILE`, or the schema the
 * official MCP schema generator makes from the `--tools` of an agentcore or cedar-for-agents
 * profile), the profile's warnings (profile-warnings.ts), and policies whose scope no recorded
 * tool matches.
 */
import type { Diagnostic } from "../errors.js";
import { shortList } from "../suggest.js";
import type { CedarProfile, CedarReview, ProfileSettings, ReviewInput, ToolDescription } from "./types.js";
import { placerFor, type CedarSource, type ParsedPolicy, type Placer } from "./policies.js";
import { agentcoreActionId, agentcoreTargetOf } from "./agentcore-action.js";
import { profileWarnings } from "./profile-warnings.js";
import { cedar, mcpGenerator, type DetailedError, type Schema } from "./wasm.js";

/** The policies whose scope can match a call of the tool (null: the profile cannot tell). */
export type ScopeMatcher = (tool: string, tools: ReadonlyMap<string, ToolDescription>) => ParsedPolicy[] | null;

/**
 * The stub AgentCore's schema is generated from, written from AWS's policy-schema-constraints
 * page (AWS publishes neither its stub nor its generator): OAuthUser with `id` and claim tags,
 * IamEntity with `id` (policy-scope: AWS_IAM callers), the Gateway resource, each tool's action
 * in `CallTool`, itself in `Mcp`. Tags are Strings: the page's examples read them with `getTag(...) like`.
 */
export const AGENTCORE_STUB = `namespace AgentCore {
  @mcp_principal
  entity OAuthUser = { id: String } tags String;
  @mcp_principal
  entity IamEntity = { id: String };
  @mcp_resource
  entity Gateway;
  action "Mcp";
  @mcp_action
  action "CallTool" in ["Mcp"];
}
`;

export function reviewPolicies(
  profile: CedarProfile,
  policies: ParsedPolicy[],
  source: CedarSource,
  input: ReviewInput,
  inScope: ScopeMatcher,
): CedarReview {
  const diagnostics: Diagnostic[] = [];
  const schema = schemaFor(profile, source.settings, input, diagnostics);
  if (schema.text !== undefined) diagnostics.push(...validateAgainst(schema.text, schema.file, source, policies));
  const tools = input.tools?.list ?? [];
  diagnostics.push(...profileWarnings(profile, policies, source, tools));
  if (profile === "agentcore") diagnostics.push(...agentcoreScopeErrors(policies, source));
  const untargeted = profile === "agentcore" && input.tools !== undefined ? untargetedTools(input.tools.source, tools, source.settings.target) : undefined;
  if (untargeted) diagnostics.push(untargeted.warning);
  // When no tool has its target, no policy's action can match one: the warning above says why, once.
  if (input.tools && tools.length > 0 && !untargeted?.all) diagnostics.push(...unmatched(policies, source, input.tools.source, tools, inScope));
  diagnostics.sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : 0));
  return { diagnostics, schema: schema.line };
}

interface ChosenSchema {
  /** .cedarschema text or JSON; undefined when Cedar's validator does not run. */
  text?: Schema;
  /** Where its problems are reported. */
  file: string;
  line: string;
}

function schemaFor(profile: CedarProfile, settings: ProfileSettings, input: ReviewInput, diagnostics: Diagnostic[]): ChosenSchema {
  if (input.schema) {
    const { file, text } = input.schema;
    const read = readSchema(text);
    if ("problem" in read) {
      diagnostics.push({ file, ...read.problem, severity: "error" });
      return { file, line: `schema ${file} does not parse: Cedar's validator did not run` };
    }
    const parsed = read.schema;
    const checked = cedar().checkParseSchema(parsed);
    if (checked.type === "failure") {
      const place = placerFor(text);
      diagnostics.push(...checked.errors.map((e) => placed(e, file, place, "the schema does not parse")));
      return { file, line: `schema ${file} does not parse: Cedar's validator did not run` };
    }
    return { text: parsed, file, line: `validated against the schema ${file}` };
  }
  const tools = input.tools;
  const stub = profile === "agentcore" ? AGENTCORE_STUB : profile === "cedar-for-agents" ? settings.stub : undefined;
  if (!tools) {
    return {
      file: "",
      line: stub === undefined
        ? "no schema, so Cedar's validator did not run: give --schema FILE to run it"
        : "no schema, so Cedar's validator did not run: give --tools TAPE to generate one with the official MCP schema generator, or --schema FILE",
    };
  }
  if (stub === undefined) {
    const gateway = profile === "toolhive" ? "ToolHive" : "Docker";
    return {
      file: tools.source,
      line: `no schema: ${gateway} publishes no Cedar schema and no official generator makes one, so Cedar's validator did not run (give --schema FILE to run it); the profile warnings use the ${tools.list.length} tools of ${tools.source}`,
    };
  }
  const generated = generatedSchema(stub, profile, settings, tools.list);
  if ("refused" in generated) {
    // The tools are what the server lists, not a mistake of the user's: a warning, as --strict may want.
    diagnostics.push({ file: tools.source, line: 1, col: 1, severity: "warning", message: `the official MCP schema generator refused these tools: ${generated.refused}; Cedar's validator did not run: give --schema FILE to run it` });
    return { file: tools.source, line: "no schema: the official MCP schema generator refused the tools, so Cedar's validator did not run" };
  }
  return {
    text: generated.schema,
    file: tools.source,
    line: `validated against the schema the official MCP schema generator made from the ${tools.list.length} tools of ${tools.source}${profile === "agentcore" ? " (AgentCore's stub as AWS documents it)" : ""}`,
  };
}

/**
 * The schema the official MCP schema generator makes from a stub and the tools: under agentcore
 * with the AgentCore stub, each tool named as its action (`<target>___<tool>`), `number` as
 * decimal and objects as records, as the agentcore profile builds its input; under
 * cedar-for-agents with the settings' generator options.
 */
export function generatedSchema(stub: string, profile: CedarProfile, settings: ProfileSettings, tools: readonly ToolDescription[]): { schema: Schema } | { refused: string } {
  const list = profile === "agentcore"
    ? tools.map((t) => ({ ...t, name: agentcoreActionId(t.name, settings.target) ?? t.name, inputSchema: withoutEnums(t.inputSchema) }))
    : tools;
  const config = profile === "agentcore" ? { numbersAsDecimal: true, objectsAsRecords: true } : (settings.generator ?? {});
  const answer = JSON.parse(mcpGenerator().generateSchema(
    stub,
    JSON.stringify(list.map((t) => ({ name: t.name, inputSchema: t.inputSchema ?? { type: "object" } }))),
    JSON.stringify(config),
  )) as { isOk: boolean; error: string | null; schemaJson: string | null };
  if (answer.isOk && answer.schemaJson !== null) {
    const schema = JSON.parse(answer.schemaJson) as Schema;
    return { schema: profile === "agentcore" ? withTargetGroups(schema) : schema };
  }
  const unnamed = list.filter((t) => !CEDAR_IDENTIFIER.test(t.name)).map((t) => t.name);
  const why = unnamed.length > 0 ? ` (it names each tool's input type after the tool, so a tool name must be a Cedar identifier: ${shortList(unnamed)} are not)` : "";
  return { refused: `${answer.error ?? "no schema"}${why}` };
}

/**
 * The generator knows no gateway targets: each `<target>___<tool>` action is made a member of
 * its target's action group too, as the agentcore profile builds it (agentcore.ts).
 */
function withTargetGroups(schema: Schema): Schema {
  const actions = (schema as { AgentCore?: { actions?: Record<string, { memberOf?: { id: string }[]; appliesTo?: unknown }> } }).AgentCore?.actions;
  if (!actions) return schema;
  for (const [id, action] of Object.entries(actions)) {
    const target = agentcoreTargetOf(id);
    if (target === undefined) continue;
    action.memberOf = [...(action.memberOf ?? []), { id: target }];
    actions[target] ??= { appliesTo: { resourceTypes: [], principalTypes: [] } };
  }
  return schema;
}

const CEDAR_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * AWS documents AgentCore's input types as string → String (policy-schema-constraints), and the
 * agentcore profile builds an enum's value as a String: the generator's enum entity types are
 * cedar-for-agents' own, so AgentCore's schema is generated without `enum`.
 */
function withoutEnums(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutEnums);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "enum").map(([k, v]) => [k, withoutEnums(v)]));
}

/** A JSON schema is an object; anything else is .cedarschema text. JSON that does not parse is a problem at its place. */
function readSchema(text: string): { schema: Schema } | { problem: { line: number; col: number; message: string } } {
  if (!text.trimStart().startsWith("{")) return { schema: text };
  try {
    return { schema: JSON.parse(text) as Schema };
  } catch (err) {
    const message = (err as Error).message;
    // V8 names the offset ("... in JSON at position 12"), or the input ended.
    const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? (/end of JSON input/.test(message) ? text.length : 0));
    const before = text.slice(0, offset);
    const why = message.replace(/ in JSON at position \d+.*$/, "");
    return {
      problem: {
        line: before.split("\n").length,
        col: offset - before.lastIndexOf("\n"),
        message: `the schema's JSON form does not parse: ${why}; write the schema as JSON Cedar reads, or as .cedarschema text`,
      },
    };
  }
}

function validateAgainst(schema: Schema, schemaFile: string, source: CedarSource, policies: ParsedPolicy[]): Diagnostic[] {
  const answer = cedar().validate({ schema, policies: { staticPolicies: source.text } });
  if (answer.type === "failure") {
    return answer.errors.map((e) => ({ file: schemaFile, line: 1, col: 1, severity: "error" as const, message: `Cedar's validator could not use the schema: ${e.message}` }));
  }
  // Cedar names policies by position; a policy with an @id is shown by it too.
  const named = (d: Diagnostic, id: string): Diagnostic => {
    const name = policies.find((p) => p.id === id)?.name;
    return name && name !== id ? { ...d, message: d.message.replace(`for policy \`${id}\``, `for policy \`${id}\` (${name})`) } : d;
  };
  return [
    ...answer.validationErrors.map((e) => named({ ...placed(e.error, source.file, source.place, "against the schema"), severity: "error" }, e.policyId)),
    ...answer.validationWarnings.map((e) => named({ ...placed(e.error, source.file, source.place, "against the schema"), severity: "warning" }, e.policyId)),
    ...answer.otherWarnings.map((e) => ({ ...placed(e, source.file, source.place, "against the schema"), severity: "warning" as const })),
  ];
}

function placed(error: DetailedError, file: string, place: Placer, what: string): Diagnostic {
  const at = error.sourceLocations?.[0];
  const { line, col } = at ? place(at.start) : { line: 1, col: 1 };
  return { file, line, col, severity: "error", message: `${what}: ${error.message}${error.help ? `; ${error.help}` : ""}` };
}

/**
 * AgentCore names each tool `<target>___<tool>` (agentcore.ts): tools listed without that prefix,
 * and no --target, give actions no gateway sends, and replay leaves their calls undecided.
 */
function untargetedTools(toolsSource: string, tools: ToolDescription[], target: string | undefined): { warning: Diagnostic; all: boolean } | undefined {
  const bare = tools.filter((t) => agentcoreActionId(t.name, target) === undefined).map((t) => t.name).sort();
  if (bare.length === 0) return undefined;
  const message = `${bare.length} of the ${tools.length} tools ${toolsSource} lists have no "<target>___" prefix (${shortList(bare)}) and no --target was given: AgentCore's action for a tool is <target>___<tool>, so no policy can be checked against them and replay leaves their calls undecided; give the gateway target with --target`;
  return { warning: { file: toolsSource, line: 1, col: 1, severity: "warning", message }, all: bare.length === tools.length };
}

/**
 * AgentCore refuses to create a policy whose resource scope is unconstrained ("a wildcard
 * resource was detected"), or that names specific actions (`action == ...`, `action in [...]`)
 * without naming the gateway (`resource == AgentCore::Gateway::"<arn>"`): AWS docs,
 * bedrock-agentcore devguide example-policies-action-resource, "Requirements for the action and
 * resource scope". A scope Cedar itself accepts, so only this check finds it before AWS does.
 * (A single `action in AgentCore::Action::"<group>"` is left alone: the page's table does not say.)
 */
function agentcoreScopeErrors(policies: ParsedPolicy[], source: CedarSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of policies) {
    const { action, resource } = p.json as unknown as { action: { op: string; entities?: unknown[] }; resource: { op: string } };
    const specific = action.op === "==" || (action.op === "in" && action.entities !== undefined);
    const problem = resource.op === "All"
      ? `its resource is unconstrained, and AgentCore refuses such a policy when it is created ("a wildcard resource was detected"); write ${specific ? 'resource == AgentCore::Gateway::"<gateway ARN>"' : "resource is AgentCore::Gateway"}`
      : specific && resource.op !== "=="
        ? 'it names specific actions, and AgentCore then requires the gateway by its ARN; write resource == AgentCore::Gateway::"<gateway ARN>"'
        : undefined;
    if (problem) out.push({ file: source.file, ...source.place(p.start), severity: "error", message: `${p.effect} ${p.name}: ${problem} (AWS AgentCore docs: example-policies-action-resource)` });
  }
  return out;
}

/** A policy whose scope no recorded tool matches never applies to a call the tape saw. */
function unmatched(policies: ParsedPolicy[], source: CedarSource, toolsSource: string, tools: ToolDescription[], inScope: ScopeMatcher): Diagnostic[] {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const matched = new Set<ParsedPolicy>();
  for (const tool of tools) {
    const inside = inScope(tool.name, byName);
    for (const p of inside ?? policies) matched.add(p);
  }
  const names = shortList(tools.map((t) => t.name).sort());
  return policies.filter((p) => !matched.has(p)).map((p) => ({
    file: source.file,
    ...source.place(p.start),
    severity: "warning" as const,
    message: `${p.effect} ${p.name} matches none of the ${tools.length} tools ${toolsSource} lists (${names}) by its action and resource: it never applies to them; name a listed tool, or remove the policy`,
  }));
}
