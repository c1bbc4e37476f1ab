/** `mcptape validate`: wires the validator's text or json report to the command line. */
import type { PolicyDialect } from "../policy/model.js";
import { cedarOptionsFrom } from "./cedar-flags.js";
import { validateCommand, type ValidateResult } from "./validate.js";
import type { Io } from "./io.js";
import { readStdinArgs } from "./stdin.js";
import { outputFlags, Outputs } from "./outputs.js";

const FORMATS = ["text", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

export async function validateAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const flags = outputFlags(opts, FORMATS);
  args = await readStdinArgs(args, {}, [], "policies");
  const cedar = cedarOptionsFrom(opts);
  const results = new Map<string, ValidateResult>();
  for (const f of new Set([flags.format, ...flags.reports.map((r) => r.format)])) {
    results.set(f, await validateCommand(args, {
      strict: opts.strict === true,
      format: f as Format,
      ...(opts.dialect ? { dialect: opts.dialect as PolicyDialect } : {}),
      cedar,
      ...(typeof opts.tools === "string" ? { tools: opts.tools } : {}),
    }));
  }
  for (const line of results.get(flags.format)!.unreadable) io.stderr.write(`mcptape: ${line}\n`);
  const outputs = Outputs.open(io, flags, (f) => results.get(f)!.output);
  outputs.write((output) => output);
  await outputs.close();
  return results.get(flags.format)!.exitCode;
}
