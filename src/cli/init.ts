/**
 * `mcptape init --tools TAPE|TOOLS.json [--dialect intercept|policylayer] [-o POLICY]`: a starter
 * policy for the recorded tools. Writes to stdout, or to `-o` (never over an existing file: a
 * policy someone has edited is not a scaffold to regenerate).
 */
import { existsSync } from "node:fs";
import { InputError } from "../errors.js";
import { classSummary, starterEntries } from "../risk/starter.js";
import { interceptStarter } from "../risk/starter-intercept.js";
import { policyLayerStarter } from "../risk/starter-policylayer.js";
import { readTools } from "../tape/tools.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";
import { closeAll, Sink } from "./sink.js";
import { DIALECTS, type Dialect } from "../policy/model.js";

export interface InitFlags {
  /** --tools: the tape or tools JSON to read the tools from. */
  tools: string | undefined;
  dialect: Dialect;
  output: string | undefined;
}

export function initFlags(values: FlagValues): InitFlags {
  return { tools: values.string("tools"), dialect: values.choice("dialect", DIALECTS) ?? "intercept", output: values.string("output") };
}

export const initCommand = command(initFlags, init);

async function init(_args: string[], flags: InitFlags, io: Io): Promise<number> {
  const { tools: source, dialect, output } = flags;
  if (!source) {
    throw new InputError("init needs --tools TAPE|TOOLS.json", undefined, "record a session first (mcptape record -o session.jsonl -- CMD), then run mcptape init --tools session.jsonl");
  }
  if (output && existsSync(output)) {
    throw new InputError(`${output} already exists`, { file: output }, "init does not overwrite a policy; give another -o path, or remove the file first");
  }
  const tools = await readTools(source);
  if (tools.length === 0) throw new InputError("no tools listed", { file: source }, 'give a tools file with at least one {"name": ...}');

  const text = dialect === "policylayer" ? policyLayerStarter(tools) : interceptStarter(tools, source);
  // Through a Sink, as every report: a full disk is said (exit 2), and -o appears whole or not at all.
  const sink = output ? Sink.toFile(output) : Sink.toStream(io.stdout);
  sink.write(text);
  await closeAll([sink]);
  if (!output) return 0;
  const entries = starterEntries(tools);
  io.stderr.write(`mcptape: wrote ${output}: ${classSummary(entries)}\n`);
  if (dialect === "policylayer") {
    // JSON holds no comments: say here what each tool was taken for.
    for (const { tool, classification } of entries) io.stderr.write(`  ${tool.name}: ${classification.class} (${classification.reason})\n`);
  }
  return 0;
}
