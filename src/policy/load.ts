/**
 * Loading a policy file: pick the dialect, parse with positions, compile (into the model, or
 * a Cedar engine) and collect every error and warning. The one place that turns a policy file
 * into a LoadedPolicy.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { InputError, formatDiagnostic, type Diagnostic, type Position } from "../errors.js";
import { DiagnosticSink, diagnosticOf } from "./diagnostics.js";
import { compileIntercept } from "./dialects/intercept.js";
import { loadPolicyLayer } from "./dialects/policylayer.js";
import { lintIntercept } from "./lint.js";
import { isCedarPolicy, loadCedarPolicy, type CedarOptions } from "./dialects/cedar.js";
import type { Dialect, Policy, PolicyDialect } from "./model.js";
import { parseYamlSource } from "./yaml-source.js";
import type { LoadedPolicy } from "../gateway/types.js";

/** A policy-model dialect loaded: the model, or null when there is any error. */
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

/** The loaded policy, or an InputError at `where` listing every error; `what` names the policy. */
export function validPolicy({ policy, diagnostics }: PolicyLoad, what: string, where: Position): LoadedPolicy {
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (policy && errors.length === 0) return policy;
  const lines = errors.map((d) => formatDiagnostic(d, d.severity, d.message));
  throw new InputError(`${what} is not valid (${errors.length} error${errors.length === 1 ? "" : "s"}):\n${lines.join("\n")}`, where);
}


/**
 * PolicyLayer JSON is a JSON object with `all_tools`, or with `tools` whose entries are not
 * Intercept's `{rules: [...]}` (JSON that does not parse is read as YAML to see its shape).
 * Everything else (YAML, or JSON shaped like Intercept) is intercept.
 */
export function detectDialect(text: string): Dialect {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("{")) return "intercept";
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    // Broken JSON (a trailing comma, a comment) still has a shape: read it leniently, so a
    // PolicyLayer file with a typo gets JSON's error at its place instead of passing as YAML.
    try {
      doc = parseYaml(trimmed, { logLevel: "silent" });
    } catch {
      return "intercept";
    }
  }
  if (!isObject(doc)) return "intercept";
  if (isObject(doc.all_tools)) return "policylayer";
  if (!isObject(doc.tools)) return "intercept";
  const entries = Object.values(doc.tools);
  return entries.some((t) => isObject(t) && "rules" in t) ? "intercept" : "policylayer";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Cedar text or a ToolHive config is Cedar; anything else is a policy-model dialect. */
export function detectPolicyDialect(text: string, file: string): PolicyDialect {
  return isCedarPolicy(text, file) ? "cedar" : detectDialect(text);
}

/** A policy of any dialect; `dialect` overrides detection (`--dialect`); `cedar` says how to decide Cedar. */
export function loadPolicy(text: string, file: string, dialect?: PolicyDialect, cedar: CedarOptions = { settings: {} }): PolicyLoad {
  const chosen = dialect ?? detectPolicyDialect(text, file);
  if (chosen === "cedar") return loadCedarPolicy(text, file, cedar);
  return asLoaded(loadPolicyText(text, file, chosen), file);
}

/** A policy-model dialect wrapped as a LoadedPolicy (positions and diagnostics as they were). */
export function asLoaded({ policy, diagnostics }: ModelLoad, file: string): PolicyLoad {
  return { policy: policy ? { engine: "model", file, model: policy } : null, diagnostics };
}

/** A policy-model dialect (Intercept, PolicyLayer); `dialect` overrides detection. */
export function loadPolicyText(text: string, file: string, dialect: Dialect = detectDialect(text)): ModelLoad {
  if (dialect === "policylayer") return loadPolicyLayer(text, file);
  const sink = new DiagnosticSink(file);
  let source;
  try {
    source = parseYamlSource(text, file);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { policy: null, diagnostics: [diagnosticOf(err, file)] };
  }
  const compiled = compileIntercept(source, sink);
  lintIntercept(compiled.file, sink);
  return { policy: sink.hasErrors() ? null : compiled.policy, diagnostics: sink.sorted() };
}

export async function loadPolicyFile(path: string, dialect?: PolicyDialect, cedar?: CedarOptions): Promise<PolicyLoad> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new InputError(`cannot read policy: ${why}`, { file: path }, "check the path given with -p/--policy");
  }
  return loadPolicy(text, path, dialect, cedar);
}
