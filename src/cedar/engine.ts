/**
 * A Cedar policy set under one profile: the profile rebuilds the gateway's request, the official
 * engine decides it, the profile's rules turn Cedar's answer into mcptape's outcome.
 * A decision is a pure function of the request, so identical requests are decided once; and the
 * request is a pure function of the raw call, so a repeated call is answered before its request
 * is even built (a repeat then costs a key, about 1-2 µs, not a build and a key, 14-18 µs).
 */
import type { CedarCall, CedarEngine, CedarOutcome, CedarProfile, CedarReview, ReviewInput, ToolDescription } from "./types.js";
import type { CedarSource, ParsedPolicy } from "./policies.js";
import { reviewPolicies } from "./review.js";
import { cedar, type Context, type EntityJson, type EntityUidJson, type PolicyJson, type TypeAndId } from "./wasm.js";

/**
 * One Cedar authorization request, as cedar-wasm takes it. `entities` are the call's own; the
 * engine adds the extra entities of the settings (which are the same for every call).
 */
export interface CedarRequest {
  principal: TypeAndId;
  action: TypeAndId;
  resource: TypeAndId;
  context: Context;
  entities: EntityJson[];
}

/**
 * What a profile made of a call: a request, or the gateway's refusal before Cedar. A request
 * the gateway would never send (`undecidable`: why) still serves the tools/list filter and the
 * policy review, but its call is `undecided`: no gateway decides it. `unbuilt` (why): mcptape
 * cannot rebuild the request the gateway would send, so the call is `undecided` too, never a
 * deny the gateway did not make.
 */
export type Built = { request: CedarRequest; undecidable?: string } | { refused: string; why: string } | { unbuilt: string };

/** Cedar's answer, with policy ids turned into the policies they name. */
export interface Answer {
  allowed: boolean;
  determining: ParsedPolicy[];
  errors: string[];
}

export interface Profile {
  readonly name: CedarProfile;
  build(call: CedarCall): Built;
  /** ToolHive and Docker deny on any evaluation error; the Rust engine's own rule skips the erroring policy. */
  readonly errorsDeny: boolean;
  /** What the gateway tells the agent on a refusal; null where there is no gateway (cedar-for-agents). */
  denyMessage(call: CedarCall, rule: string): string | null;
  /** Docker: an allow whose determining permit asks for approval; returns the approval's message. */
  approval?(answer: Answer): string | null;
  /**
   * Which tools the gateway lists in its tools/list answer: every tool (`none`), those a call
   * with no arguments may make (`no-arguments`, ToolHive), those some input could be allowed
   * for (`some-input`, AgentCore).
   */
  readonly listFilter: "none" | "no-arguments" | "some-input";
  /** Docker: the request carries the call's time, so a call repeats only at the same instant. */
  readonly readsTime?: boolean;
}

/** The principal of the requests that judge a tool apart from any caller (principal constraints are dropped). */
const ANY_CALLER = "mcptape-any-caller";

/** Bounded so a long tape of unique calls cannot grow it without end. */
export const DECISION_CACHE_SIZE = 10_000;

export class Engine implements CedarEngine {
  readonly profile: CedarProfile;
  private readonly cache = new Map<string, Answer>();
  /** Outcomes by the raw call, so a repeated call skips building its request too (agents loop). */
  private readonly outcomes = new Map<string, CedarOutcome>();
  /** A number per tool description, so a key names the description without serialising its schema. */
  private readonly descriptionIds = new WeakMap<object, number>();
  private readonly byId: Map<string, ParsedPolicy>;

  constructor(
    private readonly kind: Profile,
    private readonly policies: ParsedPolicy[],
    private readonly policySetId: string,
    /** The settings' extra entities (`--entities`, ToolHive's entities_json). */
    private readonly extra: EntityJson[],
    private readonly source: CedarSource,
  ) {
    this.profile = kind.name;
    this.byId = new Map(policies.map((p) => [p.id, p]));
  }

  policyNames(): string[] {
    return this.policies.map((p) => p.name);
  }

  decide(call: CedarCall): CedarOutcome {
    return memo(this.outcomes, this.callKey(call), () => this.decideAfresh(call));
  }

  /** Everything a profile's build reads from a call: calls with equal keys build equal requests. */
  private callKey(call: CedarCall): string {
    const description = call.tools.get(call.tool);
    let id = 0;
    if (description) {
      id = this.descriptionIds.get(description) ?? 0;
      if (id === 0) this.descriptionIds.set(description, (id = this.nextDescriptionId++));
    }
    return JSON.stringify([call.tool, id, call.args ?? null, call.claims ?? null, call.identity ?? null, this.kind.readsTime ? call.t : 0]);
  }

  private nextDescriptionId = 1;

  private decideAfresh(call: CedarCall): CedarOutcome {
    const built = this.kind.build(call);
    if ("refused" in built) {
      return { decision: "deny", rule: built.refused, message: this.kind.denyMessage(call, built.refused), errors: [built.why] };
    }
    if ("unbuilt" in built) return { decision: "undecided", rule: null, message: built.unbuilt, errors: [] };
    if (built.undecidable !== undefined) return { decision: "undecided", rule: null, message: built.undecidable, errors: [] };
    const answer = this.answer(built.request);
    const errors = answer.errors;
    const rule = nameAll(answer.determining);
    if (answer.errors.length > 0 && this.kind.errorsDeny) {
      return { decision: "deny", rule: "(evaluation error)", message: this.kind.denyMessage(call, "(evaluation error)"), errors };
    }
    if (!answer.allowed) {
      const denyRule = rule ?? "(no permit)";
      return { decision: "deny", rule: denyRule, message: this.kind.denyMessage(call, denyRule), errors };
    }
    const approval = this.kind.approval?.(answer) ?? null;
    if (approval !== null) return { decision: "approval", rule, message: approval, errors };
    return { decision: "allow", rule, message: null, errors };
  }

  listed(call: CedarCall): boolean {
    switch (this.kind.listFilter) {
      case "none":
        return true;
      case "no-arguments":
        // ToolHive's filterToolsByPolicy: the call with nil arguments; an error hides the tool too.
        return this.decide({ ...call, args: undefined }).decision === "allow";
      case "some-input": {
        const built = this.kind.build({ ...call, args: undefined });
        if (!("request" in built)) return false;
        // The input left unknown: Cedar's partial evaluation says deny only when no input can be allowed.
        const context = { ...built.request.context, input: { __extn: { fn: "unknown", arg: "input" } } };
        const answer = this.partial({ ...built.request, context }, this.policies.map((p) => [p.id, p.json]));
        return answer === null || answer.decision !== "deny";
      }
    }
  }

  reachable(tool: string, tools: ReadonlyMap<string, ToolDescription>): boolean | null {
    const matching = this.inScope(tool, tools);
    return matching === null ? null : matching.some((p) => p.effect === "permit");
  }

  review(input: ReviewInput): CedarReview {
    return reviewPolicies(this.kind.name, this.policies, this.source, input, (tool, tools) => this.inScope(tool, tools));
  }

  /**
   * The policies whose action and resource constraints match a call of `tool`, whoever calls:
   * each policy's principal constraint and conditions dropped, Cedar decides which still hold.
   * null when the profile cannot build a call of the tool without arguments (cedar-for-agents
   * with required inputs).
   */
  inScope(tool: string, tools: ReadonlyMap<string, ToolDescription>): ParsedPolicy[] | null {
    const built = this.kind.build({ tool, args: undefined, claims: { sub: ANY_CALLER }, identity: ANY_CALLER, tools, t: 0 });
    if (!("request" in built)) return null;
    const scopes = Object.fromEntries(this.policies.map((p): [string, PolicyJson] => [
      p.id,
      { ...p.json, effect: "permit", principal: { op: "All" }, conditions: [], annotations: {} },
    ]));
    const result = cedar().isAuthorized({ ...built.request, entities: mergeEntities(this.extra, built.request.entities), policies: { staticPolicies: scopes } });
    if (result.type === "failure") return null;
    return this.inFileOrder(result.response.diagnostics.reason);
  }

  private partial(request: CedarRequest, policies: [string, PolicyJson][]) {
    const result = cedar().isAuthorizedPartial({
      principal: request.principal,
      action: request.action,
      resource: request.resource,
      context: request.context,
      entities: mergeEntities(this.extra, request.entities),
      policies: { staticPolicies: Object.fromEntries(policies) },
    });
    return result.type === "residuals" ? result.response : null;
  }

  /**
   * Cedar's answer to one request, from the cache when the same request was decided before. The
   * key leaves out the extra entities: they are the same for every call of this engine.
   */
  answer(request: CedarRequest): Answer {
    return memo(this.cache, JSON.stringify(request), () => this.ask(request));
  }

  private ask(request: CedarRequest): Answer {
    const entities = mergeEntities(this.extra, request.entities);
    const result = cedar().statefulIsAuthorized({ ...request, entities, preparsedPolicySetId: this.policySetId });
    if (result.type === "failure") {
      // The request itself is malformed (e.g. an entity id Cedar refuses): every gateway denies.
      return { allowed: false, determining: [], errors: result.errors.map((e) => e.message) };
    }
    const { decision, diagnostics } = result.response;
    return {
      allowed: decision === "allow",
      determining: this.inFileOrder(diagnostics.reason),
      errors: [...diagnostics.errors]
        .sort((a, b) => this.position(a.policyId) - this.position(b.policyId))
        .map((e) => `${this.byId.get(e.policyId)?.name ?? e.policyId}: ${e.error.message}`),
    };
  }

  private position(id: string): number {
    return this.policies.indexOf(this.byId.get(id)!);
  }

  private inFileOrder(ids: string[]): ParsedPolicy[] {
    const wanted = new Set(ids);
    return this.policies.filter((p) => wanted.has(p.id));
  }
}

/**
 * The extra entities first, the call's own replacing any with the same uid (ToolHive's
 * IsAuthorized merge; for the other gateways a call's entities are the ones that matter).
 */
export function mergeEntities(extra: EntityJson[], own: EntityJson[]): EntityJson[] {
  if (extra.length === 0) return own;
  const taken = new Set(own.map((e) => uidKey(e.uid)));
  return [...extra.filter((e) => !taken.has(uidKey(e.uid))), ...own];
}

function uidKey(uid: EntityUidJson): string {
  const { type, id } = "__entity" in uid ? uid.__entity : uid;
  return `${type}::${JSON.stringify(id)}`;
}

/** The cached value, else computed and kept; the cache is bounded: the oldest entry leaves when it is full. */
function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = compute();
  if (cache.size >= DECISION_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

function nameAll(policies: ParsedPolicy[]): string | null {
  return policies.length === 0 ? null : policies.map((p) => p.name).join(", ");
}
