/**
 * The policies a suite runs, each loaded once (several scenarios usually share a file).
 * An invalid policy stops the run as bad input, naming the scenario that uses it; warnings
 * are collected once each for the report.
 */
import type { Diagnostic } from "../errors.js";
import type { LoadedPolicy } from "../gateway/types.js";
import { asLoaded, detectDialect, loadPolicy, loadPolicyFile, loadPolicyText, validPolicy, type PolicyLoad } from "../policy/load.js";
import type { PolicyDialect } from "../policy/model.js";
import type { Scenario } from "./types.js";

export class PolicyCache {
  private readonly loaded = new Map<string, PolicyLoad>();
  readonly warnings = new Set<string>();

  async get(scenario: Scenario): Promise<LoadedPolicy> {
    const p = scenario.policy;
    const cedar = scenario.cedar;
    const key = `${scenario.dialect ?? ""}\u0000${JSON.stringify(cedar)}\u0000${p.kind === "file" ? p.path : p.at.file + "\u0000" + p.text}`;
    let loaded = this.loaded.get(key);
    if (!loaded) {
      loaded = p.kind === "file"
        ? loadPolicyFile(p.path, scenario.dialect, cedar, "in the scenario's policy:")
        : p.kind === "text" ? loadPolicy(p.text, p.at.file, scenario.dialect, cedar) : loadInline(p, scenario.dialect);
      this.loaded.set(key, loaded);
    }
    for (const d of loaded.diagnostics) if (d.severity === "warning") this.warnings.add(`${d.file}:${d.line}:${d.col}: ${d.message}`);
    const what = p.kind === "file" ? `policy ${p.path}` : "the inline policy";
    return validPolicy(loaded, `${what} of scenario "${scenario.name}"`, p.at);
  }
}

/**
 * An Intercept policy is loaded from its padded source, so positions are the scenario file's.
 * A PolicyLayer policy is JSON: it is loaded from the mapping printed as JSON, and its
 * diagnostics are put at the `policy:` mapping, saying where in that JSON they were.
 */
function loadInline(p: Extract<Scenario["policy"], { kind: "inline" }>, dialect: PolicyDialect | undefined): PolicyLoad {
  const chosen = dialect ?? detectDialect(p.json);
  if (chosen === "cedar") return { policy: null, diagnostics: [{ ...p.at, severity: "error", message: "a Cedar policy is text: write it under policy: | (or give the path of a .cedar file)" }] };
  if (chosen === "intercept") return asLoaded(loadPolicyText(p.text, p.at.file, "intercept"), p.at.file);
  const loaded = loadPolicyText(p.json, p.at.file, "policylayer");
  const moved = (d: Diagnostic): Diagnostic => ({
    ...d,
    line: p.at.line,
    col: p.at.col,
    message: `${d.message} (in the inline policy as JSON, line ${d.line})`,
  });
  return asLoaded({ policy: loaded.policy, diagnostics: loaded.diagnostics.map(moved) }, p.at.file);
}
