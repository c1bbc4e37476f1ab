/**
 * Everything a gateway run needs besides its tape, as plain data: the policy texts (not the
 * loaded policies, which hold engines and compiled patterns), the Cedar settings and the
 * replay options. A worker thread rebuilds its gateways from it, and a results file carries
 * it in its header so `mcptape merge` can render what the shards decided.
 */
import { createHash } from "node:crypto";
import type { Claims } from "../gateway/cedar.js";
import { gatewayFactory, type GatewayFactory, type GatewayOptions } from "../gateway/create.js";
import type { LoadedPolicy } from "../gateway/types.js";
import type { ToolhiveRateLimitConfig } from "../cedar/toolhive-rate-limit.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import { loadPolicy, validPolicy } from "../policy/load.js";
import type { PolicyDialect } from "../policy/model.js";
import type { ReplayOptions } from "../replay/types.js";

/** Commands whose gateway runs can be split over threads and runners. */
export type RunCommand = "replay" | "diff";

export interface SetupPolicy {
  /** The file it was read from, or `REV:PATH`: its diagnostics name it. */
  name: string;
  /** How reports name it when not by `name` (`-p -` reads a spooled copy of standard input). */
  label?: string;
  /** The dialect it was loaded as when that was not left to detection. */
  dialect?: PolicyDialect;
  text: string;
  /** sha256 of the text, so a results file says which policy decided it. */
  sha256: string;
}

export interface RunSetup {
  command: RunCommand;
  /** replay: the policy; diff: base then head. */
  policies: SetupPolicy[];
  cedar: CedarOptions;
  /** `--claims FILE`, as [identity, claims] pairs. */
  claims?: [string, Claims][];
  limits?: ToolhiveRateLimitConfig;
  options: ReplayOptions;
}

export function setupPolicy(name: string, text: string, loaded: LoadedPolicy, dialect: PolicyDialect | undefined): SetupPolicy {
  // A policy detected as Cedar (by its name or text) is loaded as Cedar again wherever it is rebuilt.
  const chosen = loaded.engine === "cedar" ? "cedar" : dialect;
  return { name, ...(chosen ? { dialect: chosen } : {}), text, sha256: createHash("sha256").update(text).digest("hex") };
}

/** Loads the setup's policies again, as the command that wrote it did. */
export function loadSetupPolicies(setup: RunSetup): LoadedPolicy[] {
  return setup.policies.map((p) => validPolicy(loadPolicy(p.text, p.name, p.dialect, setup.cedar), `the policy ${p.name}`, { file: p.name }));
}

export function gatewayOptionsOf(setup: RunSetup): GatewayOptions {
  return {
    window: setup.options.window,
    ...(setup.claims ? { claims: new Map(setup.claims) } : {}),
    ...(setup.limits ? { limits: setup.limits } : {}),
  };
}

/** A fresh-gateway factory per policy of the setup. */
export function setupGateways(setup: RunSetup, loaded: LoadedPolicy[] = loadSetupPolicies(setup)): GatewayFactory[] {
  const options = gatewayOptionsOf(setup);
  return loaded.map((policy) => gatewayFactory(policy, options));
}
