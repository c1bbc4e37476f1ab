/** The one place that picks an engine for a loaded policy. */
import type { WindowAlgorithm } from "../engine/types.js";
import type { Policy } from "../policy/model.js";
import { shortList } from "../suggest.js";
import type { ToolInfo } from "../tape/tools.js";
import type { ToolhiveRateLimitConfig } from "../cedar/toolhive-rate-limit.js";
import { CedarGateway, CedarSightings, cedarKind, type Claims } from "./cedar.js";
import { ModelGateway } from "./model.js";
import type { Gateway, LoadedPolicy } from "./types.js";

export interface GatewayOptions {
  /** How counter windows are cut (`--window`). */
  window: WindowAlgorithm;
  /** Claims per identity, for sessions that carry none (`--claims FILE`, a scenario's `identities:`). */
  claims?: ReadonlyMap<string, Claims>;
  /** Tools known before any tools/list answer (a scenario's `tools:`). */
  tools?: readonly ToolInfo[];
  /** ToolHive's rate-limit config (`--limits FILE`, a scenario's `limits:`), for the toolhive profile. */
  limits?: ToolhiveRateLimitConfig;
}

/** Makes a fresh gateway run's engine and state; replay makes one per gateway run. */
export type GatewayFactory = () => Gateway;

export function createGateway(policy: LoadedPolicy, options: GatewayOptions, sightings?: CedarSightings): Gateway {
  switch (policy.engine) {
    case "model":
      return new ModelGateway(policy.model, options.window);
    case "cedar":
      return new CedarGateway(policy.cedar, options.claims, options.tools, options.limits, sightings);
  }
}

/** Which gateway decides a loaded policy, as its Gateway's `kind` says (reports name both sides of a diff by it). */
export function gatewayKind(policy: LoadedPolicy): string {
  return policy.engine === "model" ? policy.model.dialect : cedarKind(policy.cedar.profile);
}

/** The gateways of one factory share what they saw (Cedar's tools and callers), for coverage. */
export function gatewayFactory(policy: LoadedPolicy, options: GatewayOptions): GatewayFactory {
  const sightings = new CedarSightings();
  return () => createGateway(policy, options, sightings);
}

/**
 * Why ToolHive's rate limits (`named`: `--limits`, a scenario's `limits:`) would decide nothing
 * under these policies: only the toolhive Cedar profile has that limiter beside it. Undefined
 * when one of them is decided under toolhive. Ignored limits would let a gate pass unchecked.
 */
export function limitsUnusedBy(policies: readonly LoadedPolicy[], named: string): string | undefined {
  if (policies.some((p) => p.engine === "cedar" && p.cedar.profile === "toolhive")) return undefined;
  const why = policies.map((p) => (p.engine === "cedar" ? `${p.file} is decided under the ${p.cedar.profile} profile` : `${p.file} is not a Cedar policy`)).join(" and ");
  return `${named} is ToolHive's rate-limit config, checked only beside the toolhive Cedar profile, and ${why}: the limits would decide nothing`;
}

/**
 * In a diff between a policy-model policy and a Cedar one (a migration), what the reports say
 * of the model side's rate limits: Cedar holds none, so the calls they throttle are decided by
 * Cedar alone unless the Cedar gateway's own limiter is replayed (`limits`: ToolHive's, given).
 * Undefined when there is nothing to say.
 */
export function limitsLeftOut(base: LoadedPolicy, head: LoadedPolicy, limits: boolean): string | undefined {
  const [side, model, cedar] = base.engine === "model" && head.engine === "cedar" ? ["base", base.model, head.cedar] as const
    : base.engine === "cedar" && head.engine === "model" ? ["head", head.model, base.cedar] as const : [];
  if (!model || !cedar || (cedar.profile === "toolhive" && limits)) return undefined;
  const rules = [...model.tools.values()].flatMap((t) => t.rules).concat(model.wildcard).filter((r) => r.counter?.limit !== undefined);
  if (rules.length === 0) return undefined;
  const where = cedar.profile === "toolhive" ? "ToolHive keeps them beside Cedar, in its rate-limit config, which --limits FILE replays"
    : cedar.profile === "agentcore" ? "AgentCore keeps them in the gateway, outside Cedar, and mcptape does not replay them"
      : `the ${cedar.profile} gateway has no rate limiter`;
  return `The ${side} policy's rate limits (${shortList([...new Set(rules.map((r) => r.id))])}) are not Cedar's: ${where}; the calls they throttle are decided by Cedar alone.`;
}

/** The policy model behind a loaded policy, for what reads the model's rules (html counter charts, risk advice, fuzzing's values); undefined for other engines. */
export function policyModel(policy: LoadedPolicy): Policy | undefined {
  return policy.engine === "model" ? policy.model : undefined;
}
