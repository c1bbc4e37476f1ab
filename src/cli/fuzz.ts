/**
 * `mcptape fuzz -p POLICY`: generates tool arguments and call sequences and reports what the
 * policy lets through that it must not. Exit 1 on a counterexample, 0 without, 2 on bad input.
 */
import { InputError } from "../errors.js";
import { bindForbids, checkToolName } from "../fuzz/applies.js";
import { parseForbid } from "../fuzz/expr.js";
import { loadPropertiesFile, parseDuration, ANY_TOOL } from "../fuzz/properties-file.js";
import { recordedArguments } from "../fuzz/recorded.js";
import { FUZZ_FORMATS, renderFuzz, type Rerun } from "../fuzz/render.js";
import { parseReplayPath, runFuzz, type FuzzTarget } from "../fuzz/run.js";
import { saveScenario } from "../fuzz/scenario-file.js";
import type { Property } from "../fuzz/types.js";
import { policyModel } from "../gateway/create.js";
import type { LoadedPolicy } from "../gateway/types.js";
import type { Dialect } from "../policy/model.js";
import { readTools } from "../tape/tools.js";
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
  const policy = await requirePolicy(opts.policy, dialect, io);
  const against = opts.against !== undefined ? await requirePolicy(opts.against, dialect, io, "--against") : undefined;
  const targets = await fuzzTargets(opts, policy, against, properties);
  // Cedar policies name no arguments the model can read: a Cedar tool's arguments come from --tools.
  const models = (against ? [policy, against] : [policy]).flatMap((p) => policyModel(p) ?? []);
  const bound = bindForbids(properties, targets, models);

  const progress = startBar(io, "fuzzing {bar} {value} cases", targets.length * Math.min(runs, 1e9));
  let result;
  try {
    result = runFuzz({
      policy, ...(against ? { against } : {}), targets, properties: bound.properties, runs, seed,
      ...(timeMs !== undefined ? { timeMs } : {}), ...(path !== undefined ? { path } : {}),
      ...(progress ? { onProgress: (cases: number) => progress.update(cases) } : {}),
    });
  } finally {
    progress?.stop();
  }
  result.forbids = bound.applied;
  const saveDir = opts.save as string | undefined;
  if (saveDir) for (const f of result.findings) f.saved = saveScenario(saveDir, f, opts.policy as string, dialect);

  const rerun: Rerun = (f) => rerunCommand(opts, f.tool, seed, f.path);
  const outputs = Outputs.open(io, flags, (format) => renderFuzz(format, result, rerun));
  outputs.write((output) => output);
  await outputs.close();
  return result.findings.length > 0 ? 1 : 0;
}

/** From --tools (with recorded arguments when it is a tape), else every tool the policies and properties name. */
async function fuzzTargets(opts: Record<string, unknown>, policy: LoadedPolicy, against: LoadedPolicy | undefined, properties: Property[]): Promise<FuzzTarget[]> {
  const toolsFile = opts.tools as string | undefined;
  const schemas = new Map<string, Record<string, unknown> | undefined>();
  let recorded = new Map<string, unknown[]>();
  if (toolsFile) {
    for (const t of await readTools(toolsFile)) schemas.set(t.name, t.inputSchema);
    if (toolsFile.endsWith(".jsonl")) recorded = await recordedArguments(toolsFile);
  }
  let names: string[];
  const only = opts.tool as string | undefined;
  const named = new Set<string>(schemas.keys());
  for (const p of [policy, against]) for (const name of (p && policyModel(p)?.tools.keys()) ?? []) named.add(name);
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
  for (const f of (opts.forbid as string[] | undefined) ?? []) flag("--forbid", f);
  flag("--properties", opts.properties);
  parts.push("--tool", tool, "--seed", String(seed), "--path", path);
  return parts.map(shellQuote).join(" ");
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

