/**
 * `mcptape fuzz -p POLICY`: generates tool arguments and call sequences and reports what the
 * policy lets through that it must not. Exit 1 on a counterexample, 0 without, 2 on bad input.
 */
import { InputError } from "../errors.js";
import { shortList } from "../suggest.js";
import { bindForbids, checkPropertyTools, checkToolName } from "../fuzz/applies.js";
import { cedarPolicySource, cedarValues, type CedarValues } from "../fuzz/cedar-values.js";
import { parseForbid } from "../fuzz/expr.js";
import { loadPropertiesFile, parseDuration, ANY_TOOL } from "../fuzz/properties-file.js";
import { toolsAndSeeds, type TapeSeeds } from "../fuzz/recorded.js";
import { FUZZ_FORMATS, renderFuzz, type Rerun } from "../fuzz/render.js";
import { cedarArgsFor, parseReplayPath, runFuzz, type FuzzTarget } from "../fuzz/run.js";
import { checkSaveFolder, scenarioFile, type CedarScenario } from "../fuzz/scenario-file.js";
import type { Property } from "../fuzz/types.js";
import { policyModel } from "../gateway/create.js";
import type { LoadedPolicy } from "../gateway/types.js";
import { agentcoreActionId } from "../cedar/agentcore-action.js";
import type { PolicyDialect } from "../policy/model.js";
import { cedarFlagsFrom, refuseUnusedCedarFlags, type CedarFlags } from "./cedar-flags.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs, type OutputFlags } from "./outputs.js";
import { gitRevPath, policyDialectFrom, requirePolicy, type PolicyArg } from "./policy-arg.js";
import { spoolReadOnceArgs, STDIN } from "./read-once.js";
import { startBar } from "./progress.js";
import { Sink } from "./sink.js";

const DEFAULT_RUNS = 10_000;

export interface FuzzFlags {
  output: OutputFlags;
  policy: string | undefined;
  dialect: PolicyDialect | undefined;
  against: string | undefined;
  tools: string | undefined;
  /** --tool: fuzz only this one. */
  tool: string | undefined;
  /** --forbid as written (for the rerun line) and parsed. */
  forbid: string[];
  properties: Property[];
  propertiesFile: string | undefined;
  runs: number;
  timeMs: number | undefined;
  seed: number;
  path: string | undefined;
  save: string | undefined;
  cedar: CedarFlags;
  /** The Cedar flags as written, for the rerun line and a saved scenario's paths. */
  cedarArgs: Partial<Record<(typeof CEDAR_ARGS)[number], string>>;
}

/** The Cedar flags (camelCased as commander names them) that a rerun repeats. */
const CEDAR_ARGS = ["profile", "server", "target", "gatewayArn", "entities", "stub", "claims", "limits"] as const;

export function fuzzFlags(values: FlagValues): FuzzFlags {
  const output = outputFlags(values, FUZZ_FORMATS);
  const forbid = values.strings("forbid");
  const properties: Property[] = forbid.map((text) => ({ kind: "forbid", expr: parseForbid(text) }));
  const propertiesFile = values.string("properties");
  if (propertiesFile !== undefined) properties.push(...loadPropertiesFile(propertiesFile));
  const time = values.string("time");
  const timeMs = time !== undefined ? parseDuration(time, "--time") : undefined;
  const runsText = values.string("runs");
  // With only a time budget, the budget decides when to stop.
  const runs = runsText !== undefined ? positiveInt(runsText, "--runs") : timeMs !== undefined ? 2 ** 31 - 1 : DEFAULT_RUNS;
  const seedText = values.string("seed");
  const path = values.string("path");
  // A path indexes the cases of one tool under one seed: without both it replays nothing meant.
  if (path !== undefined && (seedText === undefined || values.string("tool") === undefined || parseReplayPath(path) === undefined)) {
    throw new InputError(`--path ${JSON.stringify(path)} cannot replay a counterexample`, undefined, "give the --seed and --path a finding printed, like --seed 42 --path 12:3:0 (or 12:3:0@2), with its --tool");
  }
  return {
    output,
    policy: values.string("policy"),
    dialect: policyDialectFrom(values),
    against: values.string("against"),
    tools: values.string("tools"),
    tool: values.string("tool"),
    forbid,
    properties,
    propertiesFile,
    runs,
    timeMs,
    seed: seedText !== undefined ? integer(seedText, "--seed") : randomSeed(),
    path,
    save: values.string("save"),
    cedar: cedarFlagsFrom(values),
    cedarArgs: Object.fromEntries(CEDAR_ARGS.flatMap((name) => {
      const v = values.string(name);
      return v === undefined ? [] : [[name, v]];
    })),
  };
}

export const fuzzCommand = command(fuzzFlags, fuzz);

/**
 * Under agentcore a tool without a `<target>___` prefix and no --target gives a request no
 * gateway sends, so every call of it is undecided (docs/spec/dialect-cedar.md): fuzzing it would
 * check nothing and report no findings, a pass on a missing flag.
 */
function refuseUntargeted(policy: LoadedPolicy, target: string | undefined, targets: readonly FuzzTarget[]): void {
  if (policy.engine !== "cedar" || policy.cedar.profile !== "agentcore") return;
  const bare = targets.filter((t) => agentcoreActionId(t.name, target) === undefined).map((t) => t.name);
  if (bare.length === 0) return;
  throw new InputError(
    `${bare.length === 1 ? `tool ${bare[0]} has` : `${bare.length} tools (${shortList(bare)}) have`} no "<target>___" prefix and no --target was given: AgentCore would never decide those calls, so fuzzing them checks nothing`,
    undefined,
    "give the gateway target with --target, like --target shop",
  );
}

async function fuzz(_args: string[], flags: FuzzFlags, io: Io): Promise<number> {
  const { runs, seed, timeMs, path } = flags;
  if (flags.save !== undefined && flags.policy !== undefined && (flags.policy === STDIN || gitRevPath(flags.policy) !== undefined)) {
    // A saved scenario names its policy by a path beside it; standard input and git have none.
    throw new InputError(`--save cannot name -p ${flags.policy} in a scenario: a scenario reads its policy from a file`, undefined, "give -p the policy file (check it out first), or leave out --save");
  }
  if (flags.save !== undefined) checkSaveFolder(flags.save);
  const how = { dialect: flags.dialect, cedar: flags.cedar.cedar };
  const stdin = await spoolReadOnceArgs([], [flags.policy, flags.against]);
  const policyArg = await requirePolicy(stdin.policies[0], "-p/--policy", how, io);
  const againstArg = flags.against !== undefined ? await requirePolicy(stdin.policies[1], "--against", how, io) : undefined;
  const policy = policyArg.policy;
  const against = againstArg?.policy;
  refuseUnusedCedarFlags(flags.cedar, against ? [policy, against] : [policy]);
  const seeds = flags.tools === undefined ? { tools: [], recorded: new Map<string, unknown[]>() } : await toolsAndSeeds(flags.tools);
  const tools = seeds.tools;
  const cedar = cedarSideValues(flags, [policyArg, againstArg]);
  const targets = fuzzTargets(flags, seeds, policy, against, flags.properties, cedar);
  refuseUntargeted(policy, flags.cedarArgs.target, targets);
  const models = (against ? [policy, against] : [policy]).flatMap((p) => policyModel(p) ?? []);
  const bound = bindForbids(flags.properties, targets, models, (tool) => cedarArgsFor(cedar, tool).map((pv) => pv.path[0]!));
  const { claims, limits } = flags.cedar;

  // Opened before the run: an -o or --report that cannot be written is said now, not after a long run.
  const outputs = Outputs.open(io, flags.output, (format) => format);
  const progress = startBar(io, "fuzzing {bar} {value} cases", targets.length * Math.min(runs, 1e9));
  let result;
  try {
    result = runFuzz({
      policy, ...(against ? { against } : {}), targets, properties: bound.properties, runs, seed,
      ...(cedar ? { cedar: { values: cedar, identities: [...(claims?.values() ?? [])] } } : {}),
      gateway: { tools, ...(limits ? { limits } : {}) },
      ...(timeMs !== undefined ? { timeMs } : {}), ...(path !== undefined ? { path } : {}),
      ...(progress ? { onProgress: (cases: number) => progress.update(cases) } : {}),
    });
  } finally {
    progress?.stop();
  }
  result.forbids = bound.applied;
  if (flags.properties.length === 0 && !against) result.engineOnly = true;
  const scenarios: { file: string; text: string }[] = [];
  if (flags.save !== undefined && flags.policy !== undefined) {
    const dialect = flags.dialect === "cedar" ? undefined : flags.dialect;
    const { server, target, gatewayArn, stub, entities } = flags.cedarArgs;
    const scenario: CedarScenario | undefined = policy.engine !== "cedar" ? undefined : {
      profile: policy.cedar.profile,
      gateway: { ...(server ? { server } : {}), ...(target ? { target } : {}), ...(gatewayArn ? { gatewayArn } : {}) },
      tools, ...(limits ? { limits } : {}), ...(stub ? { stub } : {}), ...(entities ? { entities } : {}),
    };
    for (const f of result.findings) {
      const saved = scenarioFile(flags.save, f, flags.policy, dialect, scenario);
      f.saved = saved.file;
      scenarios.push(saved);
    }
  }

  const rerun: Rerun = (f) => rerunCommand(flags, f.tool, seed, f.path);
  outputs.write((format) => renderFuzz(format, result, rerun));
  // Saved scenarios are outputs of the run as the reports are: each appears whole, and all of them together.
  await outputs.close(scenarios.map((saved) => {
    const sink = Sink.toFile(saved.file);
    sink.write(saved.text);
    return sink;
  }));
  return result.findings.length > 0 ? 1 : 0;
}

/**
 * With a Cedar policy on either side: the values its policies compare with (and the claims the
 * forbidden expressions name), so cases carry callers' claims. A forbid on claims needs one.
 */
function cedarSideValues(flags: FuzzFlags, args: (PolicyArg | undefined)[]): CedarValues | undefined {
  const sides = args.flatMap((a) => (a?.policy.engine === "cedar" ? [cedarPolicySource(a.text, a.name)] : []));
  const forbids = flags.properties.flatMap((p) => (p.kind === "forbid" ? [p.expr] : []));
  if (sides.length === 0) {
    const onClaims = forbids.find((f) => f.segments[0] === "claims");
    if (onClaims) throw new InputError(`forbidden expression ${JSON.stringify(onClaims.source)}: claims are sent only to a Cedar policy, and neither policy is one`, undefined, "forbid over args. here, or fuzz a Cedar policy");
    return undefined;
  }
  return cedarValues(sides.map((s) => s.text), { groupClaims: sides.flatMap((s) => s.groupClaims) }, forbids);
}

/** From --tools (the tools a tape lists or calls), else every tool the policies name; and every tool the properties name. */
function fuzzTargets(flags: FuzzFlags, seeds: TapeSeeds, policy: LoadedPolicy, against: LoadedPolicy | undefined, properties: Property[], cedar: CedarValues | undefined): FuzzTarget[] {
  const toolsFile = flags.tools;
  const { tools, recorded } = seeds;
  const schemas = new Map<string, Record<string, unknown> | undefined>(tools.map((t) => [t.name, t.inputSchema]));
  const given = [...new Set([...schemas.keys(), ...recorded.keys()])];
  let names: string[];
  const only = flags.tool;
  const known = new Set<string>(given);
  for (const p of [policy, against]) for (const name of (p && policyModel(p)?.tools.keys()) ?? []) known.add(name);
  for (const name of cedar?.tools ?? []) known.add(name);
  // A tool a property names is fuzzed whatever else lists it: its property must be checked.
  const propertyTools = [...new Set(properties.flatMap((p) => (p.tool !== undefined && p.tool !== ANY_TOOL ? [p.tool] : [])))];
  checkPropertyTools(propertyTools, [...known], flags.propertiesFile);
  const named = new Set([...known, ...propertyTools]);
  if (only !== undefined) {
    checkToolName(only, [...named]);
    names = [only];
  } else if (toolsFile) names = [...new Set([...given, ...propertyTools])];
  else names = [...named];
  if (names.length === 0) {
    const source = toolsFile ?? flags.policy;
    const none = toolsFile === undefined ? "the policy names none" : toolsFile.endsWith(".jsonl") ? "the tape neither lists nor calls a tool" : "the tools file lists none";
    throw new InputError(`no tools to fuzz: ${none}`, source !== undefined ? { file: source } : undefined, "give --tools TAPE|TOOLS.json listing them, or name the tool in a --properties file");
  }
  return names.map((name) => {
    const inputSchema = schemas.get(name);
    return { name, recorded: recorded.get(name) ?? [], ...(inputSchema ? { inputSchema } : {}) };
  });
}

/** The command line that replays one finding. */
function rerunCommand(flags: FuzzFlags, tool: string, seed: number, path: string): string {
  const parts = ["mcptape", "fuzz", "-p", String(flags.policy)];
  const flag = (name: string, value: string | undefined) => {
    if (value !== undefined) parts.push(name, value);
  };
  flag("--dialect", flags.dialect);
  flag("--tools", flags.tools);
  flag("--against", flags.against);
  for (const name of CEDAR_ARGS) flag(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, flags.cedarArgs[name]);
  for (const f of flags.forbid) flag("--forbid", f);
  flag("--properties", flags.propertiesFile);
  parts.push("--tool", tool, "--seed", String(seed), "--path", path);
  return parts.map(shellQuote).join(" ");
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InputError(`${flag} ${JSON.stringify(v)} is not a positive whole number`, undefined, `like ${flag} 10000`);
  return n;
}

function integer(v: string, flag: string): number {
  const n = Number(v);
  // A signed 32-bit integer, as fast-check's seeds are: 2147483648 would wrap round to -2147483648.
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new InputError(`${flag} ${JSON.stringify(v)} is not a whole number from -2147483648 to 2147483647`, undefined, `like ${flag} 42 (a 32-bit integer)`);
  return n;
}

function randomSeed(): number {
  return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
}

