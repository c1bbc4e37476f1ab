/**
 * `mcptape fuzz -p POLICY`: generates tool arguments and call sequences and reports what the
 * policy lets through that it must not. Exit 1 on a counterexample, 0 without, 2 on bad input.
 */
import { InputError } from "../errors.js";
import { bindForbids, checkToolName } from "../fuzz/applies.js";
import { cedarPolicySource, cedarValues, type CedarValues } from "../fuzz/cedar-values.js";
import { parseForbid } from "../fuzz/expr.js";
import { loadPropertiesFile, parseDuration, ANY_TOOL } from "../fuzz/properties-file.js";
import { recordedArguments } from "../fuzz/recorded.js";
import { FUZZ_FORMATS, renderFuzz, type Rerun } from "../fuzz/render.js";
import { cedarArgsFor, parseReplayPath, runFuzz, type FuzzTarget } from "../fuzz/run.js";
import { saveScenario, type CedarScenario } from "../fuzz/scenario-file.js";
import type { Property } from "../fuzz/types.js";
import { policyModel } from "../gateway/create.js";
import type { LoadedPolicy } from "../gateway/types.js";
import type { Dialect } from "../policy/model.js";
import { readTools, type ToolInfo } from "../tape/tools.js";
import { cedarOptionsFrom, claimsFileFrom, limitsFileFrom } from "./cedar-flags.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs } from "./outputs.js";
import { requirePolicy } from "./policy-arg.js";
import { startBar } from "./progress.js";

const DEFAULT_RUNS = 10_000;

export async function fuzzAction(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const flags = outputFlags(opts, FUZZ_FORMATS);

  const forbids = ((opts.forbid as string[] | undefined) ?? []).map((text) => parseForbid(text));
  const properties: Property[] = forbids.map((expr) => ({ kind: "forbid", expr }));
  const propertiesFile = opts.properties as string | undefined;
  if (propertiesFile) properties.push(...loadPropertiesFile(propertiesFile));
  const timeMs = opts.time !== undefined ? parseDuration(String(opts.time), "--time") : undefined;
  // With only a time budget, the budget decides when to stop.
  const runs = opts.runs !== undefined ? positiveInt(opts.runs, "--runs") : timeMs !== undefined ? 2 ** 31 - 1 : DEFAULT_RUNS;
  const seed = opts.seed !== undefined ? integer(opts.seed, "--seed") : randomSeed();
  const path = opts.path !== undefined ? String(opts.path) : undefined;
  if (path !== undefined && (opts.seed === undefined || parseReplayPath(path) === undefined)) {
    throw new InputError(`--path ${JSON.stringify(path)} cannot replay a counterexample`, undefined, "give the --seed and --path a finding printed, like --seed 42 --path 12:3:0 (or 12:3:0@2), with its --tool");
  }

  const dialect = opts.dialect as Dialect | undefined;
  const cedarOptions = cedarOptionsFrom(opts);
  const policy = await requirePolicy(opts.policy, dialect, io, undefined, cedarOptions);
  const against = opts.against !== undefined ? await requirePolicy(opts.against, dialect, io, "--against", cedarOptions) : undefined;
  const tools = typeof opts.tools === "string" ? await readTools(opts.tools) : [];
  // A Cedar policy on either side: the values it compares with, and callers with claims.
  const cedarSides = [policy, against].filter((p) => p?.engine === "cedar").map((p) => cedarPolicySource(p!.file));
  const cedar = cedarSides.length === 0 ? undefined : cedarValues(cedarSides.map((s) => s.text), { groupClaims: cedarSides.flatMap((s) => s.groupClaims) }, properties.flatMap((p) => (p.kind === "forbid" ? [p.expr] : [])));
  if (!cedar) {
    const onClaims = properties.find((p) => p.kind === "forbid" && p.expr.segments[0] === "claims");
    if (onClaims?.kind === "forbid") throw new InputError(`forbidden expression ${JSON.stringify(onClaims.expr.source)}: claims are sent only to a Cedar policy, and neither policy is one`, undefined, "forbid over args. here, or fuzz a Cedar policy");
  }
  const targets = await fuzzTargets(opts, tools, policy, against, properties, cedar);
  const models = (against ? [policy, against] : [policy]).flatMap((p) => policyModel(p) ?? []);
  const bound = bindForbids(properties, targets, models, (tool) => cedarArgsFor(cedar, tool).map((pv) => pv.path[0]!));
  const identities = [...(claimsFileFrom(opts)?.values() ?? [])];
  const limits = limitsFileFrom(opts);

  const progress = startBar(io, "fuzzing {bar} {value} cases", targets.length * Math.min(runs, 1e9));
  let result;
  try {
    result = runFuzz({
      policy, ...(against ? { against } : {}), targets, properties: bound.properties, runs, seed,
      ...(cedar ? { cedar: { values: cedar, identities } } : {}),
      gateway: { tools, ...(limits ? { limits } : {}) },
      ...(timeMs !== undefined ? { timeMs } : {}), ...(path !== undefined ? { path } : {}),
      ...(progress ? { onProgress: (cases: number) => progress.update(cases) } : {}),
    });
  } finally {
    progress?.stop();
  }
  result.forbids = bound.applied;
  const saveDir = opts.save as string | undefined;
  const scenario: CedarScenario | undefined = policy.engine === "cedar"
    ? {
      profile: policy.cedar.profile, gateway: pickGateway(cedarOptions.settings), tools, ...(limits ? { limits } : {}),
      ...(typeof opts.stub === "string" ? { stub: opts.stub } : {}), ...(typeof opts.entities === "string" ? { entities: opts.entities } : {}),
    }
    : undefined;
  if (saveDir) for (const f of result.findings) f.saved = saveScenario(saveDir, f, opts.policy as string, dialect, scenario);

  const rerun: Rerun = (f) => rerunCommand(opts, f.tool, seed, f.path);
  const outputs = Outputs.open(io, flags, (format) => renderFuzz(format, result, rerun));
  outputs.write((output) => output);
  await outputs.close();
  return result.findings.length > 0 ? 1 : 0;
}

/** From --tools (with recorded arguments when it is a tape), else every tool the policies and properties name. */
async function fuzzTargets(opts: Record<string, unknown>, tools: readonly ToolInfo[], policy: LoadedPolicy, against: LoadedPolicy | undefined, properties: Property[], cedar: CedarValues | undefined): Promise<FuzzTarget[]> {
  const toolsFile = opts.tools as string | undefined;
  const schemas = new Map<string, Record<string, unknown> | undefined>(tools.map((t) => [t.name, t.inputSchema]));
  const recorded = toolsFile?.endsWith(".jsonl") ? await recordedArguments(toolsFile) : new Map<string, unknown[]>();
  let names: string[];
  const only = opts.tool as string | undefined;
  const named = new Set<string>(schemas.keys());
  for (const p of [policy, against]) for (const name of (p && policyModel(p)?.tools.keys()) ?? []) named.add(name);
  for (const name of cedar?.tools ?? []) named.add(name);
  for (const p of properties) if (p.tool !== undefined && p.tool !== ANY_TOOL) named.add(p.tool);
  if (only !== undefined) {
    checkToolName(only, [...named]);
    names = [only];
  } else if (toolsFile) names = [...schemas.keys()];
  else names = [...named];
  if (names.length === 0) {
    throw new InputError("no tools to fuzz: the policy names none", opts.policy as string | undefined ? { file: opts.policy as string } : undefined, "give --tools TAPE|TOOLS.json or --tool NAME");
  }
  return names.map((name) => {
    const inputSchema = schemas.get(name);
    return { name, recorded: recorded.get(name) ?? [], ...(inputSchema ? { inputSchema } : {}) };
  });
}

/** The command line that replays one finding. */
export function rerunCommand(opts: Record<string, unknown>, tool: string, seed: number, path: string): string {
  const parts = ["mcptape", "fuzz", "-p", String(opts.policy)];
  const flag = (name: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== false) parts.push(name, String(value));
  };
  flag("--dialect", opts.dialect);
  flag("--tools", opts.tools);
  flag("--against", opts.against);
  for (const name of ["profile", "server", "target", "gatewayArn", "entities", "stub", "claims", "limits"]) {
    flag(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, opts[name]);
  }
  for (const f of (opts.forbid as string[] | undefined) ?? []) flag("--forbid", f);
  flag("--properties", opts.properties);
  parts.push("--tool", tool, "--seed", String(seed), "--path", path);
  return parts.map(shellQuote).join(" ");
}

/** The profile settings a scenario's `gateway:` holds. */
function pickGateway(s: CedarScenario["gateway"]): CedarScenario["gateway"] {
  return { ...(s.server ? { server: s.server } : {}), ...(s.target ? { target: s.target } : {}), ...(s.gatewayArn ? { gatewayArn: s.gatewayArn } : {}) };
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function positiveInt(v: unknown, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InputError(`${flag} ${JSON.stringify(String(v))} is not a positive whole number`, undefined, `like ${flag} 10000`);
  return n;
}

function integer(v: unknown, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || Math.abs(n) > 2 ** 31) throw new InputError(`${flag} ${JSON.stringify(String(v))} is not a whole number`, undefined, `like ${flag} 42 (a 32-bit integer)`);
  return n | 0;
}

function randomSeed(): number {
  return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
}

