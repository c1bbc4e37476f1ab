/** Loads the policy a command was given, or stops with every error the policy has. */
import { InputError, formatDiagnostic } from "../errors.js";
import { loadPolicyFile } from "../policy/load.js";
import type { Dialect, Policy } from "../policy/model.js";
import type { Io } from "./io.js";

export async function requirePolicy(file: unknown, dialect: unknown, io: Io, flag = "-p/--policy"): Promise<Policy> {
  if (typeof file !== "string" || file === "") {
    throw new InputError(`${flag} is required`, undefined, `name a policy file, like ${flag.split("/").pop()} policy.yaml`);
  }
  const { policy, diagnostics } = await loadPolicyFile(file, dialect as Dialect | undefined);
  const errors = diagnostics.filter((d) => d.severity === "error");
  for (const d of diagnostics) if (d.severity === "warning") io.stderr.write(`${formatDiagnostic(d, d.severity, d.message)}\n`);
  if (!policy || errors.length > 0) {
    const lines = errors.map((d) => formatDiagnostic(d, d.severity, d.message));
    throw new InputError(`${file} is not a valid policy (${errors.length} error${errors.length === 1 ? "" : "s"}):\n${lines.join("\n")}`, { file });
  }
  return policy;
}
