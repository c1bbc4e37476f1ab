/**
 * Loading a policy file: pick the dialect, parse with positions, compile (into the model, or
 * a Cedar engine) and collect every error and warning. The one place that turns a policy file
 * into a LoadedPolicy.
 */
import { parse as parseYaml } from "yaml";
import { InputError, formatDiagnostic, type Diagnostic, type Position } from "../errors.js";
import { readUserFile } from "../files.js";
import { DiagnosticSink, diagnosticOf } from "./diagnostics.js";
import { compileIntercept } from "./dialects/intercept.js";
import { loadPolicyLayer } from "./dialects/policylayer.js";
import { lintIntercept } from "./lint.js";
import { isCedarPolicy, loadCedarPolicy, type CedarOptions } from "./dialects/cedar.js";
import type { Dialect, PolicyDialect } from "./model.js";
import { parseYamlSource } from "../yaml-source.js";
import type { LoadedPolicy, ModelLoad, PolicyLoad } from "./loaded.js";
import { isJsonObject } from "../json/object.js";

export type { ModelLoad, PolicyLoad };

/** A policy-model dialect loaded: the model, or null when there is any error. */
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
  if (!text.trimStart().startsWith("{")) return "intercept";
  return shapeOf(text)?.dialect ?? "intercept";
}

/** What a policy's shape says its dialect is, and the key that says so; undefined when it says nothing. */
function shapeOf(text: string): { dialect: Dialect; key: string } | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Broken JSON (a trailing comma, a comment) still has a shape: read it leniently, so a
    // PolicyLayer file with a typo gets JSON's error at its place instead of passing as YAML.
    try {
      doc = parseYaml(text, { logLevel: "silent" });
    } catch {
      doc = undefined;
    }
    const shape = shapeOfDocument(doc, text);
    // A typo in the key itself (`"tools",: {`) leaves YAML no shape to see; JSON's quoted
    // `"tools"` without any `rules` still says PolicyLayer, and its reader then shows the typo.
    if (shape === undefined && text.trimStart().startsWith("{") && /"(?:all_)?tools"/.test(text) && !/\brules\b/.test(text)) {
      return { dialect: "policylayer", key: "tools" };
    }
    return shape;
  }
  return shapeOfDocument(doc, text);
}

function shapeOfDocument(doc: unknown, text: string): { dialect: Dialect; key: string } | undefined {
  if (!isJsonObject(doc)) return undefined;
  if (isJsonObject(doc.all_tools)) return { dialect: "policylayer", key: "all_tools" };
  if (!isJsonObject(doc.tools)) return undefined;
  const entries = Object.values(doc.tools).filter(isJsonObject);
  if (entries.some((t) => "rules" in t)) return { dialect: "intercept", key: "rules" };
  // Only JSON says PolicyLayer by tools without rules: in YAML `tool: {}` lists a tool for Intercept.
  return entries.length > 0 && text.trimStart().startsWith("{") ? { dialect: "policylayer", key: "tools" } : undefined;
}

/**
 * A dialect forced with `--dialect` on a file shaped like the other one would read the whole
 * policy as unknown keys and pass: that is an error, at the key that gives the shape away.
 */
function dialectMismatch(text: string, file: string, forced: PolicyDialect): Diagnostic | undefined {
  const shape = shapeOf(text);
  if (shape === undefined || shape.dialect === forced) return undefined;
  const at = text.search(new RegExp(`["']?${shape.key}["']?\\s*:`));
  const before = at < 0 ? "" : text.slice(0, at);
  const line = before.split("\n").length;
  const col = before.length - before.lastIndexOf("\n");
  const name = shape.dialect === "policylayer" ? "a PolicyLayer policy" : "an Intercept policy";
  return {
    file, line, col, severity: "error",
    message: `this file looks like ${name} (it has \`${shape.key}\`), not the ${forced} dialect asked for; write --dialect ${shape.dialect}, or leave --dialect out to detect it`,
  };
}


/** Cedar text or a ToolHive config is Cedar; anything else is a policy-model dialect. */
export function detectPolicyDialect(text: string, file: string): PolicyDialect {
  return isCedarPolicy(text, file) ? "cedar" : detectDialect(text);
}

/**
 * A policy of any dialect; `dialect` overrides detection (`--dialect`), and a file shaped like
 * another dialect is then an error; `cedar` says how to decide Cedar.
 */
export function loadPolicy(text: string, file: string, dialect?: PolicyDialect, cedar: CedarOptions = { settings: {} }): PolicyLoad {
  const looksCedar = isCedarPolicy(text, file);
  if (dialect === "cedar" && !looksCedar) {
    // Cedar's parser would only say "invalid token" at 1:1 of a YAML or JSON policy.
    const mismatch = dialectMismatch(text, file, dialect);
    if (mismatch) return { policy: null, diagnostics: [mismatch] };
  }
  if (dialect === "cedar" || (dialect === undefined && looksCedar)) return loadCedarPolicy(text, file, cedar);
  if (dialect !== undefined && looksCedar) {
    const message = `this file looks like a Cedar policy, not the ${dialect} dialect asked for; write --dialect cedar, or leave --dialect out to detect it`;
    return { policy: null, diagnostics: [{ file, line: 1, col: 1, severity: "error", message }] };
  }
  return asLoaded(loadPolicyText(text, file, dialect), file);
}

/** A policy-model dialect wrapped as a LoadedPolicy (positions and diagnostics as they were). */
export function asLoaded({ policy, diagnostics }: ModelLoad, file: string): PolicyLoad {
  return { policy: policy ? { engine: "model", file, model: policy } : null, diagnostics };
}

/**
 * A policy-model dialect (Intercept, PolicyLayer); `forced` overrides detection (`--dialect`),
 * and a file shaped like the other dialect is then an error.
 */
export function loadPolicyText(text: string, file: string, forced?: Dialect): ModelLoad {
  const mismatch = forced === undefined ? undefined : dialectMismatch(text, file, forced);
  if (mismatch) return { policy: null, diagnostics: [mismatch] };
  const dialect = forced ?? detectDialect(text);
  if (dialect === "policylayer") return loadPolicyLayer(text, file);
  const sink = new DiagnosticSink(file);
  let source;
  try {
    source = parseYamlSource(text, file, { firstDocumentOnly: true });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { policy: null, diagnostics: [diagnosticOf(err, file)] };
  }
  if (source.laterDocument) {
    sink.warning(source.laterDocument, "a second YAML document starts here: Intercept reads only the first document of a policy file and ignores the rest; remove it, or move what it says into the first");
  }
  const compiled = compileIntercept(source, sink);
  lintIntercept(compiled.file, sink);
  return { policy: sink.hasErrors() ? null : compiled.policy, diagnostics: sink.sorted() };
}

/** `givenAs` says where the user named the file, for the hint when it cannot be read. */
export function loadPolicyFile(path: string, dialect?: PolicyDialect, cedar?: CedarOptions, givenAs = "with -p/--policy"): PolicyLoad {
  return loadPolicy(readUserFile(path, "policy", `check the path given ${givenAs}`), path, dialect, cedar);
}
