/**
 * What a Cedar policy set compares with, read from Cedar's JSON form of each policy (the
 * official parser's, never our own reading of the text): the argument and claim each condition
 * reads, and the Longs, decimals, strings, `like` patterns and set members it compares them to.
 * The fuzzer puts values at and around each where the profile's request takes them from:
 *  - `arg_<k>` (`arg_<k>_present`) anywhere, `context.input.<path>`, `context.args.<path>`: argument k / path;
 *  - `claim_<k>`, `claimset_<k>`, `principal.getTag("k")`: claim k; `context.oauth_scopes`: claim `scope`;
 *  - `principal in G::"g"`: group g, sent under every claim name a gateway reads groups from;
 *  - `principal == T::"id"`: the `sub` claim.
 * Tool names come from the scope: `resource == Tool::"x"` (ToolHive), an action `<target>___x`
 * (AgentCore), a namespaced `NS::Action::"x"` (cedar-for-agents), `resource.name == "x"` (Docker).
 */
import fc from "fast-check";
import { DEFAULT_GROUP_CLAIMS, policiesAsJson, readToolhiveConfig } from "../cedar/index.js";
import type { Op } from "../policy/model.js";
import type { ForbidExpr } from "./expr.js";
import { nearStrings } from "./near.js";
import { gather, gatherer, valuesArb, type Gathered, type PathValues } from "./policy-values.js";

export interface CedarValues {
  /** Tools the policies scope to by name. */
  tools: string[];
  /** Argument paths the policies read, with values worth trying; `tools` when the policy reading it is scoped to them. */
  args: (PathValues & { tools?: string[] })[];
  /** Claims (a path of one claim name) the policies read, with values worth trying. */
  claims: PathValues[];
}

/** Claim names groups may arrive under, beyond ToolHive's defaults (its config's group and role claim names). */
export interface ClaimNames {
  groupClaims?: readonly string[];
}

type Node = Record<string, unknown>;

interface Found {
  /** Per policy scope: the tools it names (joined by NUL), or "" for a policy on every tool. */
  args: Map<string, Map<string, Gathered>>;
  scope: string;
  claims: Map<string, Gathered>;
  groups: Set<string>;
  tools: Set<string>;
}

/** The values of every policy of the Cedar texts, and the claim paths of the forbidden expressions. */
export function cedarValues(texts: readonly string[], names: ClaimNames, forbids: readonly ForbidExpr[]): CedarValues {
  const found: Found = { args: new Map(), scope: "", claims: new Map(), groups: new Set(), tools: new Set() };
  for (const text of texts) {
    for (const policy of policiesAsJson(text)) {
      const p = policy as Node;
      const scoped = new Set<string>();
      scopeTools(p, scoped);
      for (const t of scoped) found.tools.add(t);
      found.scope = [...scoped].sort().join("\u0000");
      for (const c of (p.conditions as { body: unknown }[] | undefined) ?? []) walk(c.body, found);
      const principal = p.principal as Node | undefined;
      if (principal?.op === "in" || principal?.op === "==") entityTarget(principal.op === "in" ? "in" : "==", principal.entity, found);
    }
  }
  const claimAt = gatherer(found.claims);
  for (const f of forbids) if (f.segments[0] === "claims" && f.segments.length > 1) gather(claimAt([f.segments[1]!]), f.op, f.value);
  // Groups are sent under every name a gateway may read them from, as a list, empty, a bare string, or recased.
  const groupNames = new Set([...DEFAULT_GROUP_CLAIMS, ...(names.groupClaims ?? []), ...forbids.flatMap((f) => (f.segments[0] === "claims" ? [f.segments[1]!] : []))]);
  for (const g of found.groups) for (const name of groupNames) claimAt([name]).constants.push([g], [], g, [g.toUpperCase()], [g, "other"], ["other"]);
  return {
    tools: [...found.tools],
    args: [...found.args].flatMap(([scope, byPath]) =>
      [...byPath.values()].map((g) => ({ path: g.path, values: valuesArb(g), ...(scope === "" ? {} : { tools: scope.split("\u0000") }) }))),
    claims: [...found.claims.values()].map((g) => ({ path: g.path, values: valuesArb(g) })),
  };
}

/** Where an attribute chain reads from in the call: an argument path or a claim name. */
type Target = { kind: "arg" | "claim"; path: string[] };

function targetOf(node: unknown): Target | undefined {
  const chain = attrChain(node);
  if (chain === undefined) return tagTarget(node);
  const [root, ...attrs] = chain;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i]!;
    if (a.startsWith("arg_")) return { kind: "arg", path: [a.slice(4).replace(/_present$/, ""), ...attrs.slice(i + 1)] };
    if (a.startsWith("claimset_")) return { kind: "claim", path: [a.slice(9)] };
    if (a.startsWith("claim_")) return { kind: "claim", path: [a.slice(6)] };
  }
  if (root === "context" && (attrs[0] === "input" || attrs[0] === "args") && attrs.length > 1) return { kind: "arg", path: attrs.slice(1) };
  // Docker's oauth_scopes: the `scope` claim, space-split.
  if (root === "context" && attrs[0] === "oauth_scopes") return { kind: "claim", path: ["scope"] };
  return undefined;
}

/** `["context", "arg_x"]` for `context.arg_x`; undefined when the node is not a chain of attributes from a variable. */
function attrChain(node: unknown): string[] | undefined {
  if (!isNode(node)) return undefined;
  if (typeof node.Var === "string") return [node.Var];
  const dot = node["."] as Node | undefined;
  if (isNode(dot) && typeof dot.attr === "string") {
    const left = attrChain(dot.left);
    return left ? [...left, dot.attr] : undefined;
  }
  return undefined;
}

/** `principal.getTag("k")`: AgentCore's tags are the token's claims. */
function tagTarget(node: unknown): Target | undefined {
  if (!isNode(node)) return undefined;
  const tag = (node.getTag ?? node.hasTag) as Node | undefined;
  if (!isNode(tag)) return undefined;
  const name = literal(tag.right);
  return typeof name === "string" ? { kind: "claim", path: [name] } : undefined;
}

const COMPARISONS: Record<string, Op> = { "==": "eq", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };

function walk(node: unknown, found: Found): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, found);
    return;
  }
  if (!isNode(node)) return;
  for (const [op, body] of Object.entries(node)) {
    const b = body as Node;
    if (op in COMPARISONS && isNode(b)) {
      compare(COMPARISONS[op]!, b.left, b.right, found);
      compare(flip(COMPARISONS[op]!), b.right, b.left, found);
      if (attrChain(b.left)?.join(".") === "resource.name" && typeof literal(b.right) === "string") found.tools.add(literal(b.right) as string);
    } else if ((op === "contains" || op === "containsAll" || op === "containsAny") && isNode(b)) {
      // A literal set holding an attribute: the attribute is one of its members. An attribute holding literals: a list of them.
      members(b.right, targetOf(b.left), found, op !== "contains");
      members(b.left, targetOf(b.right), found, false);
    } else if (op === "like" && isNode(b)) {
      likeValues(targetOf(b.left), b.pattern, found);
    } else if ((op === "has" || op === "hasTag") && isNode(b)) {
      const t = op === "hasTag" ? tagTarget(node) : targetOf({ ".": { left: b.left, attr: b.attr } });
      if (t) at(found, t).constants.push("x", 1);
    } else if (op === "in" && isNode(b) && isNode(b.left) && b.left.Var === "principal") {
      entityTarget("in", b.right, found);
    }
    walk(body, found);
  }
}

function flip(op: Op): Op {
  return op === "lt" ? "gt" : op === "gt" ? "lt" : op === "lte" ? "gte" : op === "gte" ? "lte" : op;
}

function compare(op: Op, left: unknown, right: unknown, found: Found): void {
  if (isNode(left) && left.Var === "principal" && op === "eq") {
    entityTarget("==", right, found);
    return;
  }
  const t = targetOf(left);
  const value = literal(right);
  if (t === undefined || value === undefined) return;
  gather(at(found, t), op, value);
}

function members(set: unknown, t: Target | undefined, found: Found, asList: boolean): void {
  if (t === undefined) return;
  const values = setLiterals(set);
  if (values === undefined) return;
  const g = at(found, t);
  for (const v of values) gather(g, "eq", v);
  if (asList) g.constants.push(values);
}

/** Strings a `like` pattern matches (its wildcards empty or filled), with the tricks near.ts knows around them, and each in a list. */
function likeValues(t: Target | undefined, pattern: unknown, found: Found): void {
  if (t === undefined || !Array.isArray(pattern)) return;
  const fill = (w: string) => pattern.map((p) => (p === "Wildcard" ? w : isNode(p) && typeof p.Literal === "string" ? p.Literal : "")).join("");
  const samples = [...new Set([fill(""), fill("x"), fill("a/b")])];
  const g = at(found, t);
  g.strings.push(nearStrings(fc.constantFrom(...samples)));
  // The same strings in a list: ToolHive passes a list as `arg_<k>_present`, which no `like` on `arg_<k>` sees.
  g.constants.push(...samples.map((s) => [s]));
}

/** `principal in G::"g"` (or a set of them) names groups; `principal == T::"id"` names a `sub`. */
function entityTarget(how: "in" | "==", node: unknown, found: Found): void {
  const uids = isNode(node) && "type" in node && "id" in node ? [node] : setLiterals(node) ?? [literal(node)];
  for (const uid of uids) {
    const e = isNode(uid) && isNode(uid.__entity) ? uid.__entity : uid;
    if (!isNode(e) || typeof e.id !== "string") continue;
    if (how === "in") found.groups.add(e.id);
    else gather(at(found, { kind: "claim", path: ["sub"] }), "eq", e.id);
  }
}

/** Tool names in a policy's scope. */
function scopeTools(p: Node, tools: Set<string>): void {
  const resource = p.resource as Node | undefined;
  for (const e of scopeEntities(resource)) if (e.type === "Tool" || e.type.endsWith("::Tool")) tools.add(e.id);
  for (const e of scopeEntities(p.action as Node | undefined)) {
    if (e.id.includes("___")) tools.add(e.id.slice(e.id.indexOf("___") + 3));
    else if (e.type.endsWith("::Action") && !e.type.startsWith("AgentCore::") && e.type !== "MCP::Action") tools.add(e.id);
  }
}

function scopeEntities(scope: Node | undefined): { type: string; id: string }[] {
  if (!scope) return [];
  const list = Array.isArray(scope.entities) ? scope.entities : scope.entity !== undefined ? [scope.entity] : [];
  return list.flatMap((e) => {
    const u = isNode(e) && isNode(e.__entity) ? e.__entity : e;
    return isNode(u) && typeof u.type === "string" && typeof u.id === "string" ? [{ type: u.type, id: u.id }] : [];
  });
}

/** A literal's JSON value: a Long or string as it is, `decimal("1.5")` as 1.5, an entity as `{__entity}`. */
function literal(node: unknown): unknown {
  if (!isNode(node)) return undefined;
  if ("Value" in node) return node.Value;
  const dec = node.decimal;
  if (Array.isArray(dec) && isNode(dec[0]) && typeof dec[0].Value === "string") {
    const n = Number(dec[0].Value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function setLiterals(node: unknown): unknown[] | undefined {
  if (!isNode(node) || !Array.isArray(node.Set)) {
    const v = literal(node);
    return Array.isArray(v) ? v : undefined;
  }
  return node.Set.map(literal).filter((v) => v !== undefined);
}

function at(found: Found, t: Target): Gathered {
  if (t.kind === "claim") return gatherer(found.claims)(t.path);
  let byPath = found.args.get(found.scope);
  if (byPath === undefined) found.args.set(found.scope, (byPath = new Map()));
  return gatherer(byPath)(t.path);
}

function isNode(v: unknown): v is Node {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The Cedar text of a policy that loaded as Cedar (a .cedar set, or a ToolHive config's policies) and the group claim names it configures. */
export function cedarPolicySource(text: string, file: string): { text: string; groupClaims: string[] } {
  if (!/cedarv1/.test(text)) return { text, groupClaims: [] };
  try {
    const config = readToolhiveConfig(text, file);
    const o = config.settings.toolhive ?? {};
    return { text: config.policies, groupClaims: [o.groupClaimName, o.roleClaimName].filter((n): n is string => !!n) };
  } catch {
    return { text, groupClaims: [] };
  }
}
