/**
 * The Cedar engine behind the Gateway interface. The engine is a pure function of the call;
 * this keeps what it needs beside the call: the tools the server listed last (annotations and
 * input schemas) and the claims of identities whose sessions carry none.
 */
import { recognizeRecorded, type CedarEngine, type ToolDescription } from "../cedar/index.js";
// Not re-exported by src/cedar/index.ts yet: the limiter's module is imported as it is.
import { createToolhiveLimiter, type ToolhiveLimiter, type ToolhiveRateLimitConfig } from "../cedar/toolhive-rate-limit.js";
import type { RecognisedAnswer } from "../tape/recorded.js";
import type { Decision } from "../engine/types.js";
import type { ToolInfo } from "../tape/tools.js";
import type { DecideOptions, Gateway, GatewayCall, ToolCoverage } from "./types.js";

export type Claims = Record<string, unknown>;

/** Distinct callers kept for coverage's tools/list check: enough for a team, bounded for a fuzz run. */
const MAX_CALLERS = 100;

/**
 * What the gateway runs of one replay saw, shared by them: the tools every tools/list answer
 * described and the callers, so coverage can ask which tools no permit reaches and which the
 * gateway would hide from whom.
 */
export class CedarSightings {
  readonly tools = new Map<string, ToolDescription>();
  readonly callers = new Map<string, { name: string; claims: Claims | undefined; identity: string | undefined }>();

  /** Claims objects already seen: a session's calls share one, so most calls cost a lookup. */
  private readonly seenClaims = new WeakSet<object>();

  sawCaller(claims: Claims | undefined, identity: string | undefined): void {
    if (claims !== undefined) {
      if (this.seenClaims.has(claims)) return;
      this.seenClaims.add(claims);
    }
    // The filters read the claims (a caller without claims is its identity).
    const key = JSON.stringify(claims ?? identity ?? null);
    if (this.callers.has(key) || this.callers.size >= MAX_CALLERS) return;
    const sub = claims?.sub;
    // Named by the token's subject, whom the gateway filters for; else the session's identity.
    this.callers.set(key, { name: typeof sub === "string" && sub !== "" ? sub : (identity ?? "anonymous"), claims, identity });
  }
}

/** A Cedar gateway's kind (Gateway.kind): `cedar (toolhive)`. */
export function cedarKind(profile: string): string {
  return `cedar (${profile})`;
}

export class CedarGateway implements Gateway {
  private tools = new Map<string, ToolDescription>();
  private limiter: ToolhiveLimiter | undefined;
  readonly kind: string;

  constructor(
    private readonly engine: CedarEngine,
    private readonly claimsOf: ReadonlyMap<string, Claims> = new Map(),
    private readonly initialTools: readonly ToolInfo[] = [],
    /** ToolHive's rate limits (`--limits`), checked before Cedar as ToolHive's middleware does. */
    private readonly limits?: ToolhiveRateLimitConfig,
    private readonly sightings = new CedarSightings(),
  ) {
    this.kind = cedarKind(engine.profile);
    this.reset();
  }

  decide(call: GatewayCall, now: number, options?: DecideOptions): Decision {
    const claims = this.noteCaller(call.claims, call.identity);
    if (this.limiter) {
      // A call Cedar then denies has still spent its tokens. Without a `sub`, the per-user buckets are skipped.
      const sub = claims?.sub;
      const taken = this.limiter.take({ tool: call.tool, ...(typeof sub === "string" && sub !== "" ? { user: sub } : {}) }, now);
      if (!taken.ok) return { decision: "throttle", rule: taken.rule, message: taken.message, reservations: [], counters: [] };
    }
    const out = this.engine.decide({ tool: call.tool, args: call.args, claims, identity: call.identity, tools: this.tools, t: now });
    // A human approved the call (`--approvals approve`): Docker lets an approved call through.
    const decision = out.decision === "approval" && options?.approve === true ? "allow" : out.decision;
    return {
      decision,
      rule: out.rule,
      message: decision === "allow" ? null : out.message,
      reservations: [],
      counters: [],
      ...(out.errors.length > 0 ? { errors: out.errors } : {}),
    };
  }

  /** The caller's claims: the session's own, else those `--claims` gives its identity. */
  noteCaller(sessionClaims: Claims | undefined, identity: string | undefined): Claims | undefined {
    const claims = sessionClaims ?? (identity !== undefined ? this.claimsOf.get(identity) : undefined);
    this.sightings.sawCaller(claims, identity);
    return claims;
  }

  /** Cedar takes nothing from a call, so there is nothing to give back. */
  rollback(): void {}

  readCounter(): number {
    return 0;
  }

  listTools(tools: readonly ToolInfo[]): void {
    // A new map: the engine may hold the one a call was decided with.
    const next = new Map(this.tools);
    for (const t of tools) {
      next.set(t.name, t);
      this.sightings.tools.set(t.name, t);
    }
    this.tools = next;
  }

  /**
   * Tools no permit's scope reaches (listed or called), and the listed tools the profile's gateway
   * would leave out of tools/list for a caller seen (ToolHive: a call without arguments is
   * denied; AgentCore: no input could be allowed). Docker and cedar-for-agents list every tool.
   */
  toolCoverage(called: readonly string[]): ToolCoverage {
    const tools: ReadonlyMap<string, ToolDescription> = new Map([...this.initialTools.map((t): [string, ToolDescription] => [t.name, t]), ...this.sightings.tools]);
    const names = [...new Set([...tools.keys(), ...called])].sort();
    const callers = [...this.sightings.callers.values()];
    return {
      unreachableTools: names.filter((tool) => this.engine.reachable(tool, tools) === false),
      hiddenFromToolsList: [...tools.keys()].sort().flatMap((tool) => {
        const from = callers.filter((c) => !this.engine.listed({ tool, args: undefined, claims: c.claims, identity: c.identity, tools, t: 0 })).map((c) => c.name);
        return from.length > 0 ? [{ tool, from: [...new Set(from)] }] : [];
      }),
    };
  }

  /** The profile's gateway answers refusals its own way (ToolHive's 403 "Unauthorized", ...). */
  recognise(response: Record<string, unknown>, httpStatus?: number): RecognisedAnswer {
    return recognizeRecorded(this.engine.profile, response, httpStatus);
  }

  ruleNames(): string[] {
    return this.engine.policyNames();
  }

  /** A Cedar policy can name any tool in its conditions: no tool is said to be without rules. */
  hasOwnRules(): boolean {
    return true;
  }

  reset(): void {
    this.tools = new Map(this.initialTools.map((t) => [t.name, t]));
    this.limiter = this.limits && this.engine.profile === "toolhive" ? createToolhiveLimiter(this.limits) : undefined;
  }
}
