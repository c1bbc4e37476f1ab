/** `mcptape validate`: wires the validator's text or json report to the command line. */
import type { PolicyDialect } from "../policy/model.js";
import { cedarOptionsFrom } from "./cedar-flags.js";
import { pick, VALIDATE_FORMATS } from "../report/formats.js";
import { VALIDATE_RENDERERS, validateCommand } from "./validate.js";
import type { Io } from "./io.js";
import { readStdinArgs } from "./stdin.js";
import { outputFlags, Outputs } from "./outputs.js";

export async function validateAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const flags = outputFlags(opts, VALIDATE_FORMATS);
  args = await readStdinArgs(args, {}, [], "policies");
  const validation = await validateCommand(args, {
    strict: opts.strict === true,
    ...(opts.dialect ? { dialect: opts.dialect as PolicyDialect } : {}),
    cedar: cedarOptionsFrom(opts),
    ...(typeof opts.tools === "string" ? { tools: opts.tools } : {}),
  });
  for (const line of validation.unreadable) io.stderr.write(`mcptape: ${line}\n`);
  const outputs = Outputs.open(io, flags, (f) => pick(VALIDATE_RENDERERS, f, "validate")(validation));
  outputs.write((output) => output);
  await outputs.close();
  return validation.exitCode;
}
