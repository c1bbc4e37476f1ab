/**
 * `mcptape init --tools TAPE|TOOLS.json [--dialect intercept|policylayer|cedar] [-o POLICY]`: a
 * starter policy for the recorded tools (Cedar: for the gateway `--profile` names). Writes to
 * stdout, or to `-o` (never over an existing file: a policy someone has edited is not a
 * scaffold to regenerate).
 */
import { existsSync } from "node:fs";
import { InputError } from "../errors.js";
import { classSummary, starterEntries } from "../risk/starter.js";
import { cedarStarter, type CedarStarterSettings } from "../risk/starter-cedar.js";
import { CEDAR_PROFILES, type CedarProfile } from "../cedar/types.js";
import type { ToolInfo } from "../tape/tools.js";
import { interceptStarter } from "../risk/starter-intercept.js";
import { policyLayerStarter } from "../risk/starter-policylayer.js";
import { readTools } from "../tape/tools.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";
import { closeAll, Sink } from "./sink.js";
import { POLICY_DIALECTS, type PolicyDialect } from "../policy/model.js";
import { cedarFlagsFrom } from "./cedar-flags.js";
import type { ProfileSettings } from "../cedar/index.js";

export interface InitFlags {
  /** --tools: the tape or tools JSON to read the tools from. */
  tools: string | undefined;
  dialect: PolicyDialect;
  output: string | undefined;
  /** Cedar: the gateway the policy is written for, and what its scope names. */
  profile?: CedarProfile;
  settings: ProfileSettings;
}

export function initFlags(values: FlagValues): InitFlags {
  const { cedar } = cedarFlagsFrom(values);
  return {
    tools: values.string("tools"),
    dialect: values.choice("dialect", POLICY_DIALECTS) ?? "intercept",
    output: values.string("output"),
    ...(cedar.profile !== undefined ? { profile: cedar.profile } : {}),
    settings: cedar.settings,
  };
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
  if (dialect !== "cedar" && (flags.profile !== undefined || Object.keys(flags.settings).length > 0)) {
    // Refused rather than ignored: the starter would not be for the gateway asked for.
    throw new InputError(`--profile and the Cedar gateway's settings are for --dialect cedar, not ${dialect}`, undefined, "add --dialect cedar, or leave them out");
  }
  const tools = await readTools(source);
  if (tools.length === 0) throw new InputError("no tools listed", { file: source }, 'give a tools file with at least one {"name": ...}');

  const text = dialect === "cedar" ? await cedarText(tools, source, flags) : dialect === "policylayer" ? policyLayerStarter(tools) : interceptStarter(tools, source);
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

/** A Cedar starter needs to know whose gateway matches it: the profile, and what its scope names. */
async function cedarText(tools: ToolInfo[], source: string, flags: InitFlags): Promise<string> {
  const { profile, settings } = flags;
  if (profile === undefined) {
    throw new InputError("a Cedar policy is written for one gateway's requests", undefined, `add --profile ${CEDAR_PROFILES.join("|")}`);
  }
  const { server, target, gatewayArn } = settings;
  const scope: CedarStarterSettings = { server, target, gatewayArn };
  if (profile === "cedar-for-agents") {
    if (settings.stub === undefined) throw new InputError("--profile cedar-for-agents names its types in the namespace of its schema stub", undefined, "give the stub with --stub FILE");
    const { readStub } = await import("../cedar/cedar-for-agents.js");
    const stub = readStub(settings.stub);
    if (typeof stub === "string") throw new InputError(stub, undefined, "give --stub the schema stub the gateway's generator reads");
    scope.namespace = stub.namespace;
  }
  return cedarStarter(tools, source, profile, scope);
}
