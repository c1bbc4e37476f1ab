/**
 * A Cedar policy set under one profile: the profile rebuilds the gateway's request, the official
 * engine decides it, the profile's rules turn Cedar's answer into mcptape's outcome.
 * A decision is a pure function of the request, so identical requests are decided once.
 */
import type { CedarCall, CedarEngine, CedarOutcome, CedarProfile } from "./types.js";
import type { ParsedPolicy } from "./policies.js";
import { cedar, type Context, type EntityJson, type EntityUidJson, type TypeAndId } from "./wasm.js";

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

/** What a profile made of a call: a request, or the gateway's refusal before Cedar. */
export type Built = { request: CedarRequest; errors?: string[] } | { refused: string; why: string };

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
}

/** Bounded so a long tape of unique calls cannot grow it without end. */
export const DECISION_CACHE_SIZE = 10_000;

export class Engine implements CedarEngine {
  readonly profile: CedarProfile;
  private readonly cache = new Map<string, Answer>();
  private readonly byId: Map<string, ParsedPolicy>;

  constructor(
    private readonly kind: Profile,
    private readonly policies: ParsedPolicy[],
    private readonly policySetId: string,
    /** The settings' extra entities (`--entities`, ToolHive's entities_json). */
    private readonly extra: EntityJson[],
  ) {
    this.profile = kind.name;
    this.byId = new Map(policies.map((p) => [p.id, p]));
  }

  policyNames(): string[] {
    return this.policies.map((p) => p.name);
  }

  decide(call: CedarCall): CedarOutcome {
    const built = this.kind.build(call);
    if ("refused" in built) {
      return { decision: "deny", rule: built.refused, message: this.kind.denyMessage(call, built.refused), errors: [built.why] };
    }
    const answer = this.answer(built.request);
    const errors = [...(built.errors ?? []), ...answer.errors];
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

  /**
   * Cedar's answer to one request, from the cache when the same request was decided before. The
   * key leaves out the extra entities: they are the same for every call of this engine.
   */
  answer(request: CedarRequest): Answer {
    const key = JSON.stringify(request);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const answer = this.ask(request);
    if (this.cache.size >= DECISION_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, answer);
    return answer;
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

function nameAll(policies: ParsedPolicy[]): string | null {
  return policies.length === 0 ? null : policies.map((p) => p.name).join(", ");
}
