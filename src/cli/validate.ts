/**
 * `mcptape validate POLICY...`: every error and warning as `file:line:col: severity: message`
 * (or JSON). Exit codes: 2 when any file has an error (bad input), 1 when `--strict` and there
 * are warnings (warnings count as findings), 0 otherwise.
 */
import { InputError, formatDiagnostic, type Diagnostic } from "../errors.js";
import { loadPolicyFile } from "../policy/load.js";
import type { Dialect } from "../policy/model.js";

export interface ValidateOptions {
  strict?: boolean;
  format?: "text" | "json";
  dialect?: Dialect;
}

export async function validateCommand(files: string[], opts: ValidateOptions): Promise<{ output: string; exitCode: number }> {
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    try {
      const loaded = await loadPolicyFile(file, opts.dialect);
      diagnostics.push(...loaded.diagnostics);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      diagnostics.push({
        file: err.file ?? file, line: err.line ?? 1, col: err.col ?? 1, severity: "error",
        message: err.hint ? `${err.message}; ${err.hint}` : err.message,
      });
    }
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const exitCode = errors > 0 ? 2 : opts.strict && warnings > 0 ? 1 : 0;
  if (opts.format === "json") {
    return { output: JSON.stringify({ diagnostics }, null, 2) + "\n", exitCode };
  }
  const lines = diagnostics.map((d) => formatDiagnostic({ file: d.file, line: d.line, col: d.col }, d.severity, d.message));
  const summary = diagnostics.length === 0
    ? `${files.length === 1 ? files[0] : `${files.length} policies`}: ok`
    : `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  return { output: [...lines, summary].join("\n") + "\n", exitCode };
}
