/**
 * Collects the errors and warnings of one policy file, each at a node's line and column.
 * Validation reports every problem, not the first, so nothing here throws.
 */
import type { Diagnostic, InputError, Severity } from "../errors.js";
import type { Where } from "../yaml-source.js";

export class DiagnosticSink {
  readonly list: Diagnostic[] = [];

  constructor(readonly file: string) {}

  error(at: Where, message: string): void {
    this.add(at, "error", message);
  }

  warning(at: Where, message: string): void {
    this.add(at, "warning", message);
  }

  hasErrors(): boolean {
    return this.list.some((d) => d.severity === "error");
  }

  /** File order, errors before warnings at the same place. */
  sorted(): Diagnostic[] {
    return [...this.list].sort(
      (a, b) => a.line - b.line || a.col - b.col || (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1),
    );
  }

  private add(at: Where, severity: Severity, message: string): void {
    this.list.push({ file: this.file, line: at.line, col: at.col, severity, message });
  }
}

/** An InputError (a file that could not be read or parsed) as an error diagnostic. */
export function diagnosticOf(err: InputError, file: string): Diagnostic {
  return {
    file: err.file ?? file, line: err.line ?? 1, col: err.col ?? 1, severity: "error",
    message: err.hint ? `${err.message}; ${err.hint}` : err.message,
  };
}
