/** Where a command's output goes: stdout, `-o FILE`, and any `--report FORMAT=FILE`. */
import { writeFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { InputError } from "../errors.js";

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

export interface ReportTarget {
  format: string;
  file: string;
}

/** Parses one `--report FORMAT=FILE` value (commander collects them into a list). */
export function parseReportTarget(value: string, previous: ReportTarget[] = []): ReportTarget[] {
  const eq = value.indexOf("=");
  if (eq <= 0 || eq === value.length - 1) {
    throw new InputError(
      `--report ${JSON.stringify(value)} is not FORMAT=FILE`,
      undefined,
      "write it like --report junit=results.xml",
    );
  }
  return [...previous, { format: value.slice(0, eq), file: value.slice(eq + 1) }];
}

export function checkFormat(format: string, allowed: readonly string[], flag = "--format"): void {
  if (!allowed.includes(format)) {
    throw new InputError(
      `${flag} ${JSON.stringify(format)} is not a format this command writes`,
      undefined,
      `use one of: ${allowed.join(", ")}`,
    );
  }
}

/** Text when stdout is a terminal, as the spec says; otherwise the caller's fallback. */
export function defaultFormat(io: Io, fallback = "text"): string {
  return io.stdout.isTTY ? "text" : fallback;
}

/** Writes the main output to `-o FILE` or stdout, and every extra report to its file. */
export function emit(
  io: Io,
  render: (format: string) => string,
  format: string,
  outFile: string | undefined,
  reports: ReportTarget[],
): void {
  const main = render(format);
  if (outFile) writeOut(outFile, main);
  else io.stdout.write(main);
  for (const r of reports) writeOut(r.file, render(r.format));
}

function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new InputError(`cannot write ${file}: ${(err as Error).message}`, { file }, "check the path and its folder");
  }
}
