/**
 * `mcptape validate POLICY...`: every error and warning as `file:line:col: severity: message`
 * (or JSON). Exit codes: 2 when any file has an error (bad input), 1 when `--strict` and there
 * are warnings (warnings count as findings), 0 otherwise.
 * `--tools TAPE|TOOLS.json` adds each tool's risk class, and a warning (at the tool's entry, or
 * the top of the file) for every rule its class calls for that the policy lacks.
 * A Cedar policy is also reviewed by its engine (src/cedar/review.ts): Cedar's validator against
 * `--schema FILE` or a schema generated from the tools, and the profile's warnings.
 */
import { InputError, formatDiagnostic, type Diagnostic, type Position } from "../errors.js";
import { readUserFile } from "../files.js";
import { diagnosticOf } from "../policy/diagnostics.js";
import { limitsUnusedBy, policyModel } from "../gateway/create.js";
import type { LoadedPolicy } from "../gateway/types.js";
import { toolhiveLimitToolsAt } from "../cedar/toolhive-rate-limit.js";
import { nearest } from "../suggest.js";
import { cedarSettingsGiven, LIMITS_HINT } from "./cedar-flags.js";
import { loadPolicyFile } from "../policy/load.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import type { Policy, PolicyDialect } from "../policy/model.js";
import { adviseTools, policyGaps, type ToolAdvice } from "../risk/advice.js";
import { readTools, type ToolInfo } from "../tape/tools.js";
import { table } from "../report/table.js";
import { validateSarif } from "../report/validate-sarif.js";

export interface ValidateOptions {
  strict?: boolean;
  dialect?: PolicyDialect;
  /** How Cedar policies are decided (--profile and its settings). */
  cedar?: CedarOptions;
  /** A tape or tools JSON: classify its tools and check the policies against their classes. */
  tools?: string;
  /** Cedar: a schema (.cedarschema or its JSON form) for Cedar's validator. */
  schema?: string;
  /** ToolHive's rate-limit file (already read and checked by the flags): it needs a toolhive policy, and its tools are checked against --tools. */
  limits?: string;
  /** The Cedar flags given (`--profile`, `--target`, …, `--schema`): an error when no policy given is a Cedar policy. */
  cedarFlags?: string[];
}

/** What validating found: computed once, rendered in each format asked for. */
export interface Validation {
  files: string[];
  diagnostics: Diagnostic[];
  /** Policies that could not be read at all: errors of the command, for stderr (`text`), and where. */
  unreadable: { text: string; at: Position }[];
  /** The tools file given with --tools, and its tools' classes. */
  tools?: { path: string; advice: ToolAdvice[] };
  /** Cedar policies: the schema each was validated against, or why none was. */
  schemas?: { file: string; schema: string }[];
  exitCode: number;
}

export async function validatePolicies(files: string[], opts: ValidateOptions): Promise<Validation> {
  const diagnostics: Diagnostic[] = [];
  const unreadable: Validation["unreadable"] = [];
  const tools = opts.tools === undefined ? undefined : await readToolsAsDiagnostic(opts.tools, diagnostics);
  // A schema that cannot be read stops the command, as a policy given on the command line does.
  const schema = opts.schema === undefined ? undefined : { file: opts.schema, text: readUserFile(opts.schema, "--schema file", "give --schema a Cedar schema (.cedarschema, or its JSON form)") };
  const schemas: { file: string; schema: string }[] = [];
  const policies: LoadedPolicy[] = [];
  for (const file of files) {
    try {
      const loaded = await loadPolicyFile(file, opts.dialect, opts.cedar, "to validate");
      diagnostics.push(...loaded.diagnostics);
      if (loaded.policy?.engine === "cedar") {
        const review = loaded.policy.cedar.review({ ...(tools ? { tools: { source: opts.tools!, list: tools } } : {}), ...(schema ? { schema } : {}) });
        diagnostics.push(...review.diagnostics);
        schemas.push({ file, schema: review.schema });
      }
      if (loaded.policy) policies.push(loaded.policy);
      const model = loaded.policy && policyModel(loaded.policy);
      if (tools && model) {
        for (const gap of policyGaps(model, tools)) {
          diagnostics.push({ file, line: gap.pos?.line ?? 1, col: gap.pos?.col ?? 1, severity: "warning", message: gap.message });
        }
        diagnostics.push(...misspeltTools(file, model, tools, opts.tools!));
      }
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      unreadable.push({ text: err.format(), at: { file: err.file ?? file, ...(err.line !== undefined ? { line: err.line } : {}), ...(err.col !== undefined ? { col: err.col } : {}) } });
    }
  }
  if (opts.limits !== undefined) diagnostics.push(...limitsDiagnostics(opts.limits, policies, tools && { file: opts.tools!, list: tools }));
  const unusedCedar = opts.cedarFlags ?? [];
  if (unusedCedar.length > 0 && policies.length > 0 && !policies.some((p) => p.engine === "cedar")) {
    // As replay refuses them: a check said ok must not rest on settings that checked nothing.
    const message = `${cedarSettingsGiven(unusedCedar)}, and no policy given is a Cedar policy, so nothing was checked with ${unusedCedar.length === 1 ? "it" : "them"}; leave ${unusedCedar.length === 1 ? "it" : "them"} out, or validate a Cedar policy`;
    diagnostics.push({ file: policies[0]!.file, line: 1, col: 1, severity: "error", message });
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length + unreadable.length;
  const warnings = diagnostics.length + unreadable.length - errors;
  const exitCode = errors > 0 ? 2 : opts.strict && warnings > 0 ? 1 : 0;
  return {
    files, diagnostics, unreadable, exitCode,
    ...(tools ? { tools: { path: opts.tools!, advice: adviseTools(tools) } } : {}),
    ...(schemas.length > 0 ? { schemas } : {}),
  };
}

/** The validation's report in each format validate writes. */
export const VALIDATE_RENDERERS: Record<"text" | "json" | "sarif", (v: Validation) => string> = {
  sarif: (v) => validateSarif(v.diagnostics, v.unreadable),
  json: (v) => JSON.stringify({
    diagnostics: v.diagnostics,
    ...(v.unreadable.length > 0 ? { unreadable: v.unreadable.map((u) => u.text) } : {}),
    ...(v.tools ? { tools: v.tools.advice } : {}),
    ...(v.schemas ? { schemas: v.schemas } : {}),
  }, null, 2) + "\n",
  text: (v) => {
    const errors = v.diagnostics.filter((d) => d.severity === "error").length + v.unreadable.length;
    const warnings = v.diagnostics.length + v.unreadable.length - errors;
    const lines = [
      ...(v.tools ? adviceLines(v.tools.path, v.tools.advice) : []),
      ...(v.schemas ?? []).map((s) => `${s.file}: ${s.schema}`),
      ...v.diagnostics.map((d) => formatDiagnostic({ file: d.file, line: d.line, col: d.col }, d.severity, d.message)),
    ];
    const summary = errors + warnings === 0
      ? `${v.files.length === 1 ? v.files[0] : `${v.files.length} policies`}: ok`
      : `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
    return [...lines, summary].join("\n") + "\n";
  },
};

/**
 * A policy's tool the server does not list, close to one it does (`ehco` for `echo`): its rules
 * decide no call, and the tool it meant goes by the default. Names close to none are left alone:
 * a policy may cover the tools of servers the --tools file did not record.
 */
function misspeltTools(file: string, model: Policy, tools: ToolInfo[], toolsFile: string): Diagnostic[] {
  const listed = tools.map((t) => t.name);
  const out: Diagnostic[] = [];
  for (const [name, tool] of model.tools) {
    if (name === "*" || listed.includes(name)) continue;
    const guess = nearest(name, listed);
    if (guess === null) continue;
    out.push({ file, line: tool.pos?.line ?? 1, col: tool.pos?.col ?? 1, severity: "warning", message: `tools.${name}: ${toolsFile} lists no tool ${name}; did you mean ${guess}? Rules under a name no tool has decide no call` });
  }
  return out;
}

/**
 * `--limits`: an error when no policy that loaded is decided under toolhive (replay would refuse
 * it), and with `--tools` a warning for each tool rate limit that names none of the listed
 * tools: ToolHive's CRD takes any name (pkg/ratelimit limiter.go looks tools up by the called
 * name), so a misspelt tool would pass there silently, and here.
 */
function limitsDiagnostics(limitsFile: string, policies: readonly LoadedPolicy[], tools: { file: string; list: readonly ToolInfo[] } | undefined): Diagnostic[] {
  const unused = policies.length > 0 ? limitsUnusedBy(policies, "--limits") : undefined;
  if (unused !== undefined) return [{ file: limitsFile, line: 1, col: 1, severity: "error", message: `${unused}; ${LIMITS_HINT}` }];
  if (!tools) return [];
  const names = tools.list.map((t) => t.name);
  const places = toolhiveLimitToolsAt(readUserFile(limitsFile, "rate-limit file", "name a JSON or YAML file with ToolHive's rateLimiting config"), limitsFile);
  return [...places].filter(([name]) => !names.includes(name)).map(([name, at]) => {
    const near = nearest(name, names);
    return {
      file: limitsFile, line: at.line ?? 1, col: at.col ?? 1, severity: "warning" as const,
      message: `the rate limit of tool ${name} never applies: none of the ${names.length} tools ${tools.file} lists is named so (ToolHive takes any name); ${near ? `did you mean ${near}?` : "name a listed tool, or remove the entry"}`,
    };
  });
}

/** A tools file that cannot be read is an error like a policy that cannot be: reported, exit 2. */
async function readToolsAsDiagnostic(path: string, diagnostics: Diagnostic[]): Promise<ToolInfo[] | undefined> {
  try {
    return await readTools(path);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    diagnostics.push(diagnosticOf(err, path));
    return undefined;
  }
}

function adviceLines(source: string, advice: ToolAdvice[]): string[] {
  const rows = [["tool", "class", "why", "recommended"], ...advice.map((a) => [a.name, a.class, a.reason, a.advice])];
  return [`Tools in ${source}:`, ...table(rows).split("\n").map((l) => `  ${l}`), ""];
}
