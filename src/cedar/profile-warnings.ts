/**
 * The profile warnings of validate (docs/spec/dialect-cedar.md, "Validation"): what a policy
 * reads that the profile's gateway never builds, found by walking each policy's JSON form from
 * cedar-wasm (never its text; the text only places a finding at the attribute it names).
 *  - an attribute the profile never sets on the context, principal, resource or action (the
 *    keys each profile's module builds: toolhive.ts, agentcore.ts, docker.ts, cedar-for-agents.ts);
 *  - under toolhive, `arg_<k>` for an argument the tools say is an array or object, of which
 *    ToolHive sets only `arg_<k>_present`;
 *  - a Long literal compared with a value the profile makes a decimal: ToolHive's every JSON
 *    number, AgentCore's `number` inputs. `==` is then never true, `<`, `>` ... an evaluation error;
 *  - under docker, `principal in ...`, which Docker's MCP policy reference says does not match.
 */
import type { Diagnostic } from "../errors.js";
import type { CedarProfile, ToolDescription } from "./types.js";
import type { CedarSource, ParsedPolicy } from "./policies.js";
import { field } from "./json-values.js";

type Var = "principal" | "action" | "resource" | "context";

/** Which first-level attributes a profile sets on each variable, and what to write instead. */
interface Shape {
  sets(variable: Var, attr: string): boolean;
  instead(variable: Var, attr: string): string;
}

const TOOLHIVE_RESOURCE = new Set(["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint", "name", "operation", "feature"]);
const DOCKER_RESOURCE = new Set(["name", "readOnly", "destructive", "idempotent", "openWorld"]);
const DOCKER_CONTEXT = new Set(["request_time", "oauth_scopes", "args"]);

const SHAPES: Record<CedarProfile, Shape> = {
  toolhive: {
    sets: (v, a) =>
      v === "context" ? /^(claim_|claimset_|arg_)/.test(a)
      : v === "principal" ? /^(claim_|claimset_)/.test(a)
      : v === "resource" ? TOOLHIVE_RESOURCE.has(a) || a.startsWith("arg_")
      : a === "operation",
    instead: (v, a) =>
      v === "context" ? `ToolHive's context holds only claim_<claim> and arg_<argument> keys, flat${a === "input" ? ": write context.arg_<argument>" : ""}`
      : v === "principal" ? "ToolHive's principal holds only claim_<claim> (and claimset_<claim>) attributes"
      : v === "resource" ? `ToolHive's Tool holds only ${[...TOOLHIVE_RESOURCE].join(", ")} and arg_<argument>`
      : "ToolHive's action holds only operation",
  },
  agentcore: {
    sets: (v, a) => (v === "context" ? a === "input" : v === "principal" ? a === "id" : false),
    instead: (v, a) =>
      v === "context" ? `AgentCore's context holds only input: write context.input.${a.replace(/^arg_/, "")}`
      : v === "principal" ? `AgentCore's principals have only id (an IamEntity's is its ARN); an OAuthUser's other claims are tags: write principal.hasTag("${a}") && principal.getTag("${a}")`
      : v === "resource" ? "AgentCore's Gateway resource has no attributes"
      : "AgentCore's actions have no attributes",
  },
  docker: {
    sets: (v, a) => (v === "context" ? DOCKER_CONTEXT.has(a) : v === "resource" ? DOCKER_RESOURCE.has(a) : false),
    instead: (v) =>
      v === "context" ? `Docker's context holds only ${[...DOCKER_CONTEXT].join(", ")} (the arguments are context.args)`
      : v === "resource" ? `Docker's MCP::Tool holds only ${[...DOCKER_RESOURCE].join(", ")}`
      : v === "principal" ? "Docker's policy scope supplies the principal, and clauses on its attributes don't match (Docker's MCP policy reference)"
      : "Docker's action has no attributes",
  },
  "cedar-for-agents": {
    // The principal and resource are the stub's own types: Cedar's validator checks those (--schema, --tools).
    sets: (v, a) => (v === "context" ? a === "input" : v !== "action"),
    instead: (v, a) => (v === "context" ? `the MCP schema generator's context holds only input: write context.input.${a}` : "the generator's actions have no attributes"),
  },
};

/** A finding and the attribute name that places it in the policy's text. */
interface Finding {
  attr: string;
  message: string;
}

export function profileWarnings(profile: CedarProfile, policies: ParsedPolicy[], source: CedarSource, tools: readonly ToolDescription[]): Diagnostic[] {
  const shape = SHAPES[profile];
  const out: Diagnostic[] = [];
  for (const policy of policies) {
    const findings: Finding[] = [];
    if (profile === "docker" && policy.json.principal.op === "in") findings.push(DOCKER_PRINCIPAL_IN);
    for (const condition of policy.json.conditions) {
      visit(condition.body, (node) => findings.push(...check(node, profile, shape, tools)));
    }
    const seen = new Set<string>();
    for (const f of findings) {
      if (seen.has(f.message)) continue;
      seen.add(f.message);
      out.push({ file: source.file, ...source.place(placeOf(policy, f.attr)), severity: "warning", message: f.message });
    }
  }
  return out;
}

const COMPARISONS: Record<string, string> = { "==": "", "!=": "", "<": "lessThan", "<=": "lessThanOrEqual", ">": "greaterThan", ">=": "greaterThanOrEqual" };

const DOCKER_PRINCIPAL_IN: Finding = {
  attr: "principal in",
  message: "principal in ...: Docker's policy scope supplies the principal, and `principal in` clauses don't match (Docker's MCP policy reference); write the condition on the action, resource or context",
};

function check(node: Record<string, unknown>, profile: CedarProfile, shape: Shape, tools: readonly ToolDescription[]): Finding[] {
  const out: Finding[] = [];
  const inside = node.in as { left: unknown } | undefined;
  if (profile === "docker" && field(inside?.left, "Var") === "principal") out.push(DOCKER_PRINCIPAL_IN);
  const read = attributeRead(node);
  if (read && read.path.length === 1) {
    const [attr] = read.path as [string];
    const shown = `${read.variable}${read.has ? " has " : "."}${attr}`;
    if (!shape.sets(read.variable, attr)) {
      out.push({ attr, message: `${shown}: the ${profile} profile never sets ${read.variable}.${attr}, so this is ${read.has ? "always false" : "an evaluation error"}; ${shape.instead(read.variable, attr)}` });
    } else if (profile === "toolhive" && /^arg_/.test(attr) && !attr.endsWith("_present")) {
      const arg = attr.slice(4);
      const kind = argumentKind(tools, arg);
      if (kind === "array" || kind === "object") {
        out.push({ attr, message: `${shown}: the tools say ${arg} is an ${kind}, of which ToolHive sets only arg_${arg}_present: true; write ${read.variable} has arg_${arg}_present` });
      }
    }
  }
  for (const [op, method] of Object.entries(COMPARISONS)) {
    const sides = node[op] as { left: unknown; right: unknown } | undefined;
    if (!sides) continue;
    for (const [value, other] of [[sides.left, sides.right], [sides.right, sides.left]] as const) {
      const long = longLiteral(value);
      const read = attributeRead(other as Record<string, unknown>);
      if (long === undefined || !read || read.has || !decimalValued(profile, read, tools)) continue;
      const shown = `${read.variable}.${read.path.join(".")}`;
      const dec = `decimal("${long}.0")`;
      const why = profile === "toolhive" ? "ToolHive turns every JSON number into a decimal" : `the tools say ${read.path[1]} is a number, which AgentCore makes a decimal`;
      const message = method === ""
        ? `${shown} ${op} ${long}: ${why}, and a decimal never equals a Long, so this is ${op === "==" ? "never true" : "always true"} for a number; write ${shown} ${op} ${dec}`
        : `${shown} ${op} ${long}: ${why}, and ${op} on a decimal is an evaluation error${profile === "toolhive" ? " (ToolHive denies the call)" : " (the policy is skipped)"}; write ${shown}.${method}(${dec})`;
      out.push({ attr: read.path[read.path.length - 1]!, message });
    }
  }
  return out;
}

/** `<var>.a.b` or `<var> has a`: the variable and the attribute path read. */
function attributeRead(node: Record<string, unknown> | null | undefined): { variable: Var; path: string[]; has: boolean } | undefined {
  if (!node || typeof node !== "object") return undefined;
  const has = node.has as { left: unknown; attr: string | string[] } | undefined;
  if (has) {
    const base = attributeRead(has.left as Record<string, unknown>) ?? varOf(has.left);
    const attrs = Array.isArray(has.attr) ? has.attr : [has.attr];
    return base && { variable: base.variable, path: [...base.path, ...attrs], has: true };
  }
  const dot = node["."] as { left: unknown; attr: string } | undefined;
  if (!dot) return undefined;
  const base = attributeRead(dot.left as Record<string, unknown>) ?? varOf(dot.left);
  return base && !base.has ? { variable: base.variable, path: [...base.path, dot.attr], has: false } : undefined;
}

function varOf(node: unknown): { variable: Var; path: string[]; has: false } | undefined {
  const v = field(node, "Var");
  return typeof v === "string" ? { variable: v as Var, path: [], has: false } : undefined;
}

function longLiteral(node: unknown): number | undefined {
  const v = field(node, "Value");
  if (typeof v === "number") return v;
  const negated = field(field(node, "neg"), "arg");
  const inner = field(negated, "Value");
  return typeof inner === "number" ? -inner : undefined;
}

/** Whether the profile makes the value read a decimal when it holds a JSON number. */
function decimalValued(profile: CedarProfile, read: { variable: Var; path: string[] }, tools: readonly ToolDescription[]): boolean {
  const [first, second] = read.path;
  if (profile === "toolhive") {
    if (read.path.length !== 1 || !/^(arg_|claim_)/.test(first!)) return false;
    // An argument the tools type as anything but a number is not one.
    const kind = first!.startsWith("arg_") ? argumentKind(tools, first!.slice(4)) : undefined;
    return kind === undefined || kind === "number" || kind === "integer";
  }
  if (profile === "agentcore") {
    return read.variable === "context" && first === "input" && read.path.length === 2 && argumentKind(tools, second!) === "number";
  }
  return false;
}

/** The JSON type the tools' input schemas give an argument (the first tool that names it). */
function argumentKind(tools: readonly ToolDescription[], name: string): string | undefined {
  for (const tool of tools) {
    const type = field(field(field(tool.inputSchema, "properties"), name), "type");
    if (typeof type === "string") return type;
  }
  return undefined;
}

/** Every object in a policy's JSON expression, literals' insides left out. */
function visit(node: unknown, fn: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, fn);
    return;
  }
  if (node === null || typeof node !== "object") return;
  fn(node as Record<string, unknown>);
  for (const [key, value] of Object.entries(node)) if (key !== "Value") visit(value, fn);
}

/** The byte offset of the attribute's first mention in the policy's text, else the policy's start. */
function placeOf(policy: ParsedPolicy, attr: string): number {
  const at = policy.text.search(new RegExp(`(?<![A-Za-z0-9_])${attr.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9_])`));
  return policy.start + (at < 0 ? 0 : Buffer.byteLength(policy.text.slice(0, at), "utf8"));
}
