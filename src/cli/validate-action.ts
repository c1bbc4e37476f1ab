/** `mcptape validate`: wires the validator's text or json report to the command line. */
import { cedarFlagsFrom, givenCedarFlags } from "./cedar-flags.js";
import { pick, VALIDATE_FORMATS } from "../report/formats.js";
import { VALIDATE_RENDERERS, validatePolicies, type ValidateOptions } from "./validate.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";
import { policyDialectFrom } from "./policy-arg.js";
import { spoolReadOnceArgs } from "./read-once.js";
import { outputFlags, Outputs, type OutputFlags } from "./outputs.js";

export interface ValidateFlags extends ValidateOptions {
  output: OutputFlags;
}

export function validateFlags(values: FlagValues): ValidateFlags {
  const dialect = policyDialectFrom(values);
  const tools = values.string("tools");
  const schema = values.string("schema");
  const cedar = cedarFlagsFrom(values, true);
  return {
    output: outputFlags(values, VALIDATE_FORMATS),
    strict: values.bool("strict"),
    ...(dialect !== undefined ? { dialect } : {}),
    cedar: cedar.cedar,
    ...(cedar.limitsFile !== undefined ? { limits: cedar.limitsFile } : {}),
    ...(tools !== undefined ? { tools } : {}),
    ...(schema !== undefined ? { schema } : {}),
    cedarFlags: [...givenCedarFlags(cedar), ...(schema !== undefined ? ["--schema"] : [])],
  };
}

export const validateCommand = command(validateFlags, validate);

async function validate(args: string[], flags: ValidateFlags, io: Io): Promise<number> {
  const policies = (await spoolReadOnceArgs(args, [], "policies")).args;
  const validation = await validatePolicies(policies, flags);
  for (const u of validation.unreadable) io.stderr.write(`mcptape: ${u.text}\n`);
  const outputs = Outputs.open(io, flags.output, (f) => pick(VALIDATE_RENDERERS, f, "validate")(validation));
  outputs.write((output) => output);
  await outputs.close();
  return validation.exitCode;
}
