/** Loads the policy a command was given, or stops with every error the policy has. */
import { InputError, formatDiagnostic, type Diagnostic } from "../errors.js";
import { loadPolicyFile, validPolicy } from "../policy/load.js";
import type { LoadedPolicy } from "../gateway/types.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import type { PolicyDialect } from "../policy/model.js";
import type { Io } from "./io.js";

export async function requirePolicy(file: unknown, dialect: unknown, io: Io, flag = "-p/--policy", cedar?: CedarOptions): Promise<LoadedPolicy> {
  if (typeof file !== "string" || file === "") {
    throw new InputError(`${flag} is required`, undefined, `name a policy file, like ${flag.split("/").pop()} policy.yaml`);
  }
  const loaded = await loadPolicyFile(file, dialect as PolicyDialect | undefined, cedar, `with ${flag}`);
  printWarnings(loaded.diagnostics, io);
  return validPolicy(loaded, "the policy", { file });
}

/** A policy's warnings go to stderr, in the same form as validate prints them. */
export function printWarnings(diagnostics: Diagnostic[], io: Io): void {
  for (const d of diagnostics) if (d.severity === "warning") io.stderr.write(`${formatDiagnostic(d, d.severity, d.message)}\n`);
}
