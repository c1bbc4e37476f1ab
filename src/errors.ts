/**
 * The one error type for bad input (exit 2). Everything a user can fix is an InputError:
 * a file, a position when we know it, what is wrong and what to write instead.
 * Anything else that escapes is an internal error (exit 3).
 */
export interface Position {
  file: string;
  line?: number;
  col?: number;
}

export class InputError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly col: number | undefined;
  readonly hint: string | undefined;

  constructor(message: string, where?: Position, hint?: string) {
    super(message);
    this.name = "InputError";
    this.file = where?.file;
    this.line = where?.line;
    this.col = where?.col;
    this.hint = hint;
  }

  /** `file:line:col: message; hint` — the form every diagnostic takes. */
  format(): string {
    return formatDiagnostic(
      { file: this.file ?? "", line: this.line, col: this.col },
      "error",
      this.hint ? `${this.message}; ${this.hint}` : this.message,
    );
  }
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  severity: Severity;
  message: string;
}

export function formatDiagnostic(where: Position, severity: Severity, message: string): string {
  let place = where.file;
  if (where.line !== undefined) place += `:${where.line}`;
  if (where.line !== undefined && where.col !== undefined) place += `:${where.col}`;
  return place ? `${place}: ${severity}: ${message}` : `${severity}: ${message}`;
}
