/**
 * Running scenarios: each is one gateway run over its tapes and inline calls merged by time;
 * the decided calls are then held against its expectations.
 */
import { InputError } from "../errors.js";
import type { LoadedPolicy } from "../gateway/types.js";
import { nearest, shortList } from "../suggest.js";
import type { Claims } from "../gateway/cedar.js";
import { isIamArn } from "../cedar/index.js";
import { createGateway, limitsUnusedBy, policyModel } from "../gateway/create.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import type { ToolhiveRateLimitConfig } from "../cedar/toolhive-rate-limit.js";
import { mergeBatchesByTime } from "../replay/merge.js";
import { runGatewayBatches, tapeStreams } from "../replay/replay.js";
import { TotalsCounter } from "../replay/totals.js";
import type { DecidedCall, ReplayEvent } from "../replay/types.js";
import { expandTapePaths } from "../tape/paths.js";
import { findScenarioFiles } from "./discover.js";
import { shardIndexes, unitsOf, type Shard } from "../shard/partition.js";
import { checkScenario } from "./expect.js";
import { loadScenarioFile } from "./load.js";
import { PolicyCache } from "./policies.js";
import { inlineEvents } from "./sources.js";
import { readTools, type ToolInfo } from "../tape/tools.js";
import type { At, Errored, InlineCall, Scenario, ScenarioResult, ScenarioTools, TestRun } from "./types.js";

export async function runScenario(scenario: Scenario, policies: PolicyCache, warnings: Set<string> = new Set()): Promise<ScenarioResult> {
  const started = performance.now();
  const policy = await policies.get(scenario);
  const limitsUnused = scenario.limitsAt && limitsUnusedBy([policy], "limits:");
  // Refused, not ignored: an expectation that no call is throttled would pass on limits never checked.
  if (limitsUnused) throw new InputError(limitsUnused, scenario.limitsAt, "remove limits:, or decide a Cedar policy with profile: toolhive");
  refuseIdentitiesWithoutClaims(scenario, policy);
  const listed = scenario.tools ? await scenarioTools(scenario.tools) : undefined;
  const gateway = createGateway(policy, {
    window: scenario.options.window,
    ...(scenario.identities ? { claims: scenario.identities } : {}),
    ...(scenario.limits ? { limits: scenario.limits } : {}),
    ...(listed ? { tools: listed } : {}),
  });
  const tapes = expandTapePaths(scenario.tapes);
  const onWarning = (w: { file: string; line: number; message: string }) => warnings.add(`${w.file}:${w.line}: ${w.message}`);
  const streams: AsyncIterable<ReplayEvent[]>[] = await tapeStreams(tapes, scenario.options, { onWarning });
  // Inline calls come last, so a tape's event at the same instant goes first.
  streams.push(inlineEvents(scenario.calls, scenario.at.file));
  const counter = new TotalsCounter();
  const calls: DecidedCall[] = [];
  for await (const batch of runGatewayBatches(gateway, mergeBatchesByTime(streams), scenario.options)) {
    for (const call of batch) {
      calls.push(call);
      counter.add(call);
    }
  }
  for (const w of misspeltTools(scenario, policy, listed ?? [], calls)) warnings.add(w);
  const reordered = reorderedCall(scenario);
  if (reordered) warnings.add(reordered);
  const { checks, failures } = checkScenario(scenario, calls, counter.totals.summary);
  return { scenario, calls, summary: counter.totals.summary, checks, failures, durationMs: performance.now() - started, gateway: gateway.kind };
}

/**
 * Inline calls of a tool that nothing names (the policy, `tools:`, the tapes) but that is close
 * to a name something does: `ehco` for `echo`. The gateway decides it as any unknown tool
 * (the default, the `"*"` rules), so an expectation on it can pass for the wrong reason.
 */
function misspeltTools(scenario: Scenario, policy: LoadedPolicy, listed: readonly ToolInfo[], calls: readonly DecidedCall[]): string[] {
  const model = policyModel(policy);
  const known = new Set([...(model?.tools.keys() ?? []), ...(model?.hide ?? []), ...listed.map((t) => t.name)]);
  for (const c of calls) if (c.tape !== scenario.at.file) known.add(c.tool);
  known.delete("*");
  const unknown = new Map<string, InlineCall[]>();
  for (const c of scenario.calls) if (!known.has(c.tool)) unknown.set(c.tool, [...(unknown.get(c.tool) ?? []), c]);
  const out: string[] = [];
  for (const [tool, [first, ...more]] of unknown) {
    const guess = nearest(tool, [...known]);
    if (guess === null || first === undefined) continue;
    const which = more.length === 0 ? `call ${first.index}` : `calls ${[first, ...more].map((c) => c.index).join(", ")}`;
    out.push(`${first.at.file}:${first.at.line}:${first.at.col}: tool "${tool}" (${which}) is named by neither the policy, tools: nor the tapes; did you mean "${guess}"? The gateway decides it as a tool it does not know, so an expectation on it may pass for the wrong reason`);
  }
  return out;
}

/**
 * Inline calls run in time order, and `call: N` counts in that order: a call whose time puts it
 * before one listed above it (a mistyped hour) moves every index after it, so an expectation may
 * check another call than the one its author meant, and pass. Said once, at the first such call.
 */
function reorderedCall(scenario: Scenario): string | undefined {
  if (!scenario.expectCalls.some((e) => e.selector.kind === "index")) return undefined;
  const moved = scenario.calls.findIndex((c, i) => c.index !== i + 1);
  if (moved < 0) return undefined;
  // The earliest call that is not in its list place is the one whose time came before its list neighbours'.
  const early = scenario.calls[moved]!;
  return `${early.at.file}:${early.at.line}:${early.at.col}: call ${early.index} in the list runs as call ${moved + 1}: its time is before a call listed above it, and call: N counts calls in time order; check its t, or write the calls in time order`;
}

/**
 * Under toolhive and agentcore the principal is the token's `sub`: a call whose identity has no
 * claims (named in no `identities:` or `--claims`, none given inline for its session) can only be
 * refused as `(no principal)`, so a misspelt identity would pass an expected deny. Refused with
 * a did-you-mean; a caller without a token is written `claims: {}`. Docker and cedar-for-agents
 * fall back to the identity itself, so there an identity alone is a principal.
 */
function refuseIdentitiesWithoutClaims(scenario: Scenario, policy: LoadedPolicy): void {
  if (policy.engine !== "cedar" || (policy.cedar.profile !== "toolhive" && policy.cedar.profile !== "agentcore")) return;
  const known = [...(scenario.identities?.keys() ?? [])];
  // What the session's last session event said (inlineEvents): a new identity without claims has none.
  const sessions = new Map<string, { identity: string | undefined; claims: boolean }>();
  for (const c of scenario.calls) {
    const s = sessions.get(c.session) ?? { identity: undefined, claims: false };
    if (c.identity !== undefined && c.identity !== s.identity) sessions.set(c.session, { identity: c.identity, claims: c.claims !== undefined });
    else if (c.claims !== undefined) sessions.set(c.session, { ...s, claims: true });
    const now = sessions.get(c.session) ?? s;
    if (c.identity === undefined || now.claims || known.includes(c.identity)) continue;
    // AgentCore's AWS_IAM principal is the caller's ARN itself.
    if (policy.cedar.profile === "agentcore" && isIamArn(c.identity)) continue;
    const near = nearest(c.identity, known);
    throw new InputError(
      `call ${c.index} (${c.tool}): identity ${c.identity} has no claims (${known.length > 0 ? `identities: names ${shortList(known)}` : "no identities: or --claims gives any"}), so ${policy.cedar.profile} would refuse it before Cedar as (no principal)`,
      c.at,
      near ? `did you mean ${near}?` : `add ${c.identity} under identities: with its claims, or write claims: {} for a caller without a token`,
    );
  }
}

/** Which scenarios run (`test --run REGEX`, `--shard I/N`) and whether the first failure stops the run (`--fail-fast`). */
export interface SuiteSelection {
  run?: RegExp;
  /** This runner's part of the scenario files (each file is one unit), balanced by bytes. */
  shard?: Shard;
  failFast?: boolean;
  /**
   * Runs the chosen scenarios of these files elsewhere (worker threads, `test --jobs`), each
   * file as `runScenarioFile` does, outcomes in the order given. Not with `failFast`, which
   * needs the files one after the other.
   */
  threads?: (files: SuiteFile[]) => Promise<FileOutcome[]>;
}

/** A scenario file to run: as `runScenarioFile` takes it, so a worker thread can load it again. */
export interface SuiteFile {
  file: string;
  explicit: boolean;
  defaults: SuiteDefaults;
  /** `--run REGEX` as its source and flags (a RegExp is rebuilt on the other side). */
  run?: { source: string; flags: string };
}

/** What one file's chosen scenarios gave, with its own policy cache. */
export interface FileOutcome {
  results: ScenarioResult[];
  errored: Errored[];
  policyWarnings: string[];
  warnings: string[];
}

/** Loads one scenario file again and runs its chosen scenarios (on a worker thread). */
export async function runScenarioFile({ file, explicit, defaults, run }: SuiteFile): Promise<FileOutcome> {
  const pattern = run ? new RegExp(run.source, run.flags) : undefined;
  const scenarios = loadScenarioFile(file, { skipPolicies: !explicit }).filter((s) => !pattern || pattern.test(s.name));
  const policies = new PolicyCache();
  const warnings = new Set<string>();
  const results: ScenarioResult[] = [];
  const errored: Errored[] = [];
  for (const s of scenarios) {
    try {
      results.push(await runScenario(withDefaults(s, defaults), policies, warnings));
    } catch (err) {
      errored.push(erroredCase(err, s.name, s.at));
    }
  }
  return { results, errored, policyWarnings: [...policies.warnings], warnings: [...warnings] };
}

/** What the command line gives every scenario that does not say otherwise (`test --profile ... --claims FILE`). */
export interface SuiteDefaults {
  cedar?: CedarOptions;
  claims?: ReadonlyMap<string, Claims>;
  limits?: ToolhiveRateLimitConfig;
}

function withDefaults(s: Scenario, d: SuiteDefaults): Scenario {
  if (!d.cedar && !d.claims && !d.limits) return s;
  const profile = s.cedar?.profile ?? d.cedar?.profile;
  const cedar: CedarOptions = { ...(profile ? { profile } : {}), settings: { ...d.cedar?.settings, ...s.cedar?.settings } };
  const identities = new Map([...(d.claims ?? []), ...(s.identities ?? [])]);
  const limits = s.limits ?? d.limits;
  return { ...s, cedar, ...(identities.size > 0 ? { identities } : {}), ...(limits ? { limits } : {}) };
}

/** A scenario's `tools:`, read now when it names a tape or tools JSON. */
async function scenarioTools(tools: ScenarioTools): Promise<ToolInfo[]> {
  return tools.kind === "inline" ? tools.tools : readTools(tools.path);
}

/** The names of the scenarios in these files; a file that does not load is its own shard's error. */
function scenarioNames(files: readonly { file: string }[]): string[] {
  return files.flatMap(({ file }) => {
    try {
      return loadScenarioFile(file, { skipPolicies: true }).map((s) => s.name);
    } catch (err) {
      if (err instanceof InputError) return [];
      throw err;
    }
  });
}

/**
 * Loads every scenario file, then runs the scenarios in file order. A file that cannot be
 * read or is not valid, and a scenario whose policy or tapes are bad, is an errored test
 * case: reported with its place, and the rest still run (unless `failFast`).
 */
export async function runSuite(paths: readonly string[], defaults: SuiteDefaults = {}, select: SuiteSelection = {}): Promise<TestRun> {
  const all = findScenarioFiles(paths);
  const found = shardIndexes(unitsOf(all.map((f) => f.file)), select.shard).map((i) => all[i]!);
  const files: string[] = [];
  const scenarios: Scenario[] = [];
  const errored: Errored[] = [];
  const fileOf = new Map<Scenario, { file: string; explicit: boolean }>();
  for (const { file, explicit } of found) {
    try {
      const loaded = loadScenarioFile(file, { skipPolicies: !explicit });
      if (loaded.length > 0) files.push(file);
      scenarios.push(...loaded);
      const from = { file, explicit };
      for (const s of loaded) fileOf.set(s, from);
    } catch (err) {
      errored.push(erroredCase(err, file, { file, line: 1, col: 1 }));
    }
  }
  const chosen = select.run ? scenarios.filter((s) => select.run!.test(s.name)) : scenarios;
  if (select.run && chosen.length === 0) {
    // A shard may hold none of the scenarios --run names, but a typo must fail on every shard:
    // the other shards' files are loaded for their names (no policy is read, nothing runs).
    const elsewhere = select.shard ? scenarioNames(all.filter((f) => !found.includes(f))) : [];
    const names = [...scenarios.map((s) => s.name), ...elsewhere];
    if (names.length > 0 && !names.some((n) => select.run!.test(n))) {
      const shown = names.slice(0, 10).map((n) => JSON.stringify(n)).join(", ");
      throw new InputError(`--run ${select.run.source} matches no scenario name`, undefined, `names are: ${shown}${names.length > 10 ? ", …" : ""}`);
    }
  }
  if (select.threads && !select.failFast) {
    const chosenFiles = [...new Set(chosen.map((s) => fileOf.get(s)!))];
    const run = select.run ? { source: select.run.source, flags: select.run.flags } : undefined;
    const outcomes = await select.threads(chosenFiles.map((f) => ({ ...f, defaults, ...(run ? { run } : {}) })));
    // As one run in file order gives them: each warning once, policy warnings first.
    const policyWarnings = new Set(outcomes.flatMap((o) => o.policyWarnings));
    const warnings = new Set(outcomes.flatMap((o) => o.warnings));
    return { files, results: outcomes.flatMap((o) => o.results), errored: [...errored, ...outcomes.flatMap((o) => o.errored)], warnings: [...policyWarnings, ...warnings] };
  }
  const policies = new PolicyCache();
  const warnings = new Set<string>();
  const results: ScenarioResult[] = [];
  for (const [i, s] of chosen.entries()) {
    // --fail-fast: a failure so far (a file that could not load included) stops the run here.
    if (select.failFast && (errored.length > 0 || results.some((r) => r.failures.length > 0))) {
      warnings.add(`--fail-fast: stopped at the first failure; ${chosen.length - i} scenario${chosen.length - i === 1 ? "" : "s"} not run`);
      break;
    }
    try {
      results.push(await runScenario(withDefaults(s, defaults), policies, warnings));
    } catch (err) {
      errored.push(erroredCase(err, s.name, s.at));
    }
  }
  return { files, results, errored, warnings: [...policies.warnings, ...warnings] };
}

function erroredCase(err: unknown, name: string, fallback: At): Errored {
  if (!(err instanceof InputError)) throw err;
  const at = err.file === undefined ? fallback : { file: err.file, line: err.line ?? 1, col: err.col ?? 1 };
  return { name, at, message: err.format() };
}
