/** `mcptape validate`: wires the validator's text or json report to the command line. */
import type { Dialect } from "../policy/model.js";
import { validateCommand } from "./validate.js";
import { checkFormat, emit, type Io, type ReportTarget } from "./io.js";

const FORMATS = ["text", "json"] as const;
type Format = (typeof FORMATS)[number];

export async function validateAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const format = (opts.format as string | undefined) ?? "text";
  const reports = (opts.report as ReportTarget[] | undefined) ?? [];
  checkFormat(format, FORMATS);
  for (const r of reports) checkFormat(r.format, FORMATS, "--report");
  const results = new Map<string, { output: string; exitCode: number }>();
  for (const f of new Set([format, ...reports.map((r) => r.format)])) {
    results.set(f, await validateCommand(args, {
      strict: opts.strict === true,
      format: f as Format,
      ...(opts.dialect ? { dialect: opts.dialect as Dialect } : {}),
      ...(typeof opts.tools === "string" ? { tools: opts.tools } : {}),
    }));
  }
  emit(io, (f) => results.get(f)!.output, format, opts.output as string | undefined, reports);
  return results.get(format)!.exitCode;
}
