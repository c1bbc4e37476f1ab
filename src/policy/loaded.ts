/**
 * A policy ready to decide: the policy model, or a Cedar policy set under its profile. What
 * loading a policy file gives (src/policy/load.ts) and what a Gateway is made from (src/gateway).
 */
import type { CedarEngine } from "../cedar/types.js";
import type { Diagnostic } from "../errors.js";
import type { Policy } from "./model.js";

export type LoadedPolicy =
  | { engine: "model"; file: string; model: Policy }
  | { engine: "cedar"; file: string; cedar: CedarEngine };

/** A policy file of the model's dialects loaded (Intercept, catalogue form, PolicyLayer). */
export interface ModelLoad {
  policy: Policy | null;
  /** Errors and warnings in file order. */
  diagnostics: Diagnostic[];
}

/** A policy file of any dialect loaded. */
export interface PolicyLoad {
  /** null when there is any error. */
  policy: LoadedPolicy | null;
  /** Errors and warnings in file order. */
  diagnostics: Diagnostic[];
}
