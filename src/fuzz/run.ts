/**
 * The fuzzing loop: per tool, fast-check generates cases, runs them through checkCase, and
 * shrinks the first that breaks a property. The shrunk case is checked once more (only what
 * still fails is reported); then that property is set aside and the tool is fuzzed on, so
 * one run reports every property it can break, each once.
 *
 * Each tool gets its own fast-check seed derived from the run's seed and the tool's name, so
 * `--seed S --tool T --path P` replays one finding exactly. Every round of a tool uses that
 * seed; a finding of a later round was shrunk with the earlier rounds' properties set aside,
 * so its path names them too (`12:3:0@2.3`, see replayPath), or a rerun would report (and
 * shrink towards) the property found first.
 */
import fc from "fast-check";
import { InputError } from "../errors.js";
import { createGateway, policyModel, type GatewayOptions } from "../gateway/create.js";
import type { LoadedPolicy } from "../gateway/types.js";
import type { Policy } from "../policy/model.js";
import { argsArb } from "./args-arb.js";
import { caseArb } from "./case-arb.js";
import type { CedarValues } from "./cedar-values.js";
import { claimsArb, type Claims } from "./claims-arb.js";
import { AGAINST_ID, checkCase, propertyId, THROWS_ID, type CheckContext } from "./check.js";
import { policyPathValues, type PathValues } from "./policy-values.js";
import { ANY_TOOL } from "./properties-file.js";
import type { Finding, FuzzCase, FuzzResult, Property, Violation } from "./types.js";

export interface FuzzTarget {
  name: string;
  inputSchema?: Record<string, unknown>;
  /** Arguments recorded for this tool, to mutate. */
  recorded: readonly unknown[];
}

export interface FuzzOptions {
  policy: LoadedPolicy;
  against?: LoadedPolicy;
  targets: readonly FuzzTarget[];
  /** Every property; those of other tools are left out per tool. */
  properties: readonly Property[];
  /** Cases per tool (shrinking not counted against it). */
  runs: number;
  /** Stop after this long (ms), across all tools. */
  timeMs?: number;
  seed: number;
  /** A finding's path (see replayPath): replay this one counterexample (with the same seed and tool). */
  path?: string;
  /** Called now and then with the number of cases run so far. */
  onProgress?: (cases: number) => void;
  /** A Cedar policy on either side: what it compares with, and the callers to start from (every case then has claims). */
  cedar?: { values: CedarValues; identities: readonly Claims[] };
  /** What the gateways know beside the policy: the tools listed (Cedar reads their annotations), ToolHive's rate limits. */
  gateway?: Pick<GatewayOptions, "tools" | "limits">;
}

/** The fast-check seed of one tool in a run. */
export function toolSeed(seed: number, tool: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < tool.length; i++) h = Math.imul(h ^ tool.charCodeAt(i), 0x01000193);
  return (seed ^ h) | 0;
}

/** The properties that hold for one tool (`"*"` entries become the tool's own). */
export function propertiesFor(properties: readonly Property[], tool: string): Property[] {
  const out: Property[] = [];
  for (const p of properties) {
    if (p.kind === "forbid" && (p.tool === undefined || p.tool === tool)) out.push(p);
    else if (p.kind === "max_calls" && (p.tool === tool || p.tool === ANY_TOOL)) out.push({ ...p, tool });
  }
  return out;
}

/** The case generator for one tool, built only from what the command line gave (so reruns match). */
export function toolCaseArb(o: Pick<FuzzOptions, "policy" | "against" | "cedar">, target: FuzzTarget, properties: readonly Property[]): fc.Arbitrary<FuzzCase> {
  // Values and windows come from the rules of policy-model policies; a Cedar policy's values from its JSON form (cedar-values.ts).
  const policies = [o.policy, o.against].flatMap((p) => (p === undefined ? [] : [policyModel(p)]).filter((m): m is Policy => m !== undefined));
  const forbids = properties.flatMap((p) => (p.kind === "forbid" ? [p.expr] : []));
  const args = argsArb({
    ...(target.inputSchema ? { inputSchema: target.inputSchema } : {}),
    recorded: target.recorded,
    pathValues: [...policyPathValues(policies, target.name, forbids), ...cedarArgsFor(o.cedar?.values, target.name)],
  });
  const cases = caseArb(target.name, args, policies, properties);
  if (o.cedar === undefined) return cases;
  return fc.tuple(cases, claimsArb(o.cedar.identities, o.cedar.values.claims)).map(([c, claims]) => ({ ...c, claims }));
}

/** The argument values of the Cedar policies that can decide a call of `tool`. */
export function cedarArgsFor(values: CedarValues | undefined, tool: string): PathValues[] {
  return (values?.args ?? []).filter((a) => a.tools === undefined || a.tools.includes(tool));
}

const PROGRESS_EVERY = 1024;

/** What `--path` replays: a fast-check counterexample path and the properties set aside for it. */
export interface ReplayPath {
  fcPath: string;
  /** Indices into propertyIds(): the properties earlier rounds had already found. */
  skipped: number[];
}

/** The ids of what a case of one tool is checked against, in a fixed order a path can index. */
function propertyIds(properties: readonly Property[]): string[] {
  return [THROWS_ID, AGAINST_ID, ...properties.map(propertyId)];
}

/** `12:3:0` for a tool's first finding; `12:3:0@0.2` when properties 0 and 2 were set aside. */
export function replayPath(p: ReplayPath): string {
  return p.skipped.length === 0 ? p.fcPath : `${p.fcPath}@${p.skipped.join(".")}`;
}

/** The parts of a printed path, or undefined when the text is not one. */
export function parseReplayPath(text: string): ReplayPath | undefined {
  const m = /^(\d+(?::\d+)*)(?:@(\d+(?:\.\d+)*))?$/.exec(text);
  if (!m) return undefined;
  return { fcPath: m[1]!, skipped: m[2] === undefined ? [] : m[2].split(".").map(Number) };
}

export function runFuzz(o: FuzzOptions): FuzzResult {
  const replay = o.path === undefined ? undefined : parseReplayPath(o.path);
  if (o.path !== undefined && replay === undefined) throw new Error(`not a fuzz path: ${o.path}`);
  const started = performance.now();
  const deadline = o.timeMs === undefined ? undefined : started + o.timeMs;
  const findings: Finding[] = [];
  let cases = 0;
  const unfuzzed: string[] = [];
  for (let ti = 0; ti < o.targets.length; ti++) {
    const target = o.targets[ti]!;
    const casesBefore = cases;
    const properties = propertiesFor(o.properties, target.name);
    const arb = toolCaseArb(o, target, properties);
    const ids = propertyIds(properties);
    const skip = new Set<string>(replay?.skipped.flatMap((i) => (i < ids.length ? [ids[i]!] : [])));
    const options: GatewayOptions = { window: "fixed", ...o.gateway };
    const ctx: CheckContext = {
      gateway: createGateway(o.policy, options),
      ...(o.against ? { against: createGateway(o.against, options), againstLoosensOnly: o.cedar !== undefined } : {}),
      properties, skip,
    };
    const fcSeed = toolSeed(o.seed, target.name);
    let runsLeft = o.runs;
    while (runsLeft > 0) {
      const timeLeft = deadline === undefined ? undefined : (deadline - performance.now()) / (o.targets.length - ti);
      if (timeLeft !== undefined && timeLeft <= 0) break;
      const property = fc.property(arb, (c) => {
        if (++cases % PROGRESS_EVERY === 0) o.onProgress?.(cases);
        return checkCase(ctx, c) === null;
      });
      let details;
      try {
        details = fc.check(property, {
          seed: fcSeed,
          numRuns: runsLeft,
          ...(replay !== undefined ? { path: replay.fcPath } : {}),
          ...(timeLeft !== undefined ? { plugins: [fc.interruptAfterTimeLimit(Math.max(1, Math.floor(timeLeft)))] } : {}),
        });
      } catch (err) {
        // fast-check throws only on a path that walks off this seed's and tool's cases (the property's errors are failures).
        if (replay === undefined) throw err;
        throw new InputError(`--path ${o.path} replays no case of ${target.name} under --seed ${o.seed}`, undefined, "give the --seed, --tool and --path of one finding, with the policy and flags it was found with");
      }
      runsLeft -= details.numRuns;
      if (!details.failed || details.counterexample === null) break;
      const shrunk = (details.counterexample as [FuzzCase])[0];
      // Checked again after shrinking: only what still fails is reported.
      const found = checkCase(ctx, shrunk);
      if (found === null) break;
      const { violation, case: c } = withoutNeedlessCalls(ctx, shrunk, found);
      const skipped = ids.flatMap((id, i) => (skip.has(id) ? [i] : []));
      const path = replayPath({ fcPath: details.counterexamplePath, skipped });
      findings.push({ tool: target.name, violation, case: c, fcSeed, path, foundMs: performance.now() - started });
      skip.add(violation.propertyId);
      if (replay !== undefined || details.interrupted) break;
    }
    if (cases === casesBefore) unfuzzed.push(target.name);
  }
  o.onProgress?.(cases);
  return { seed: o.seed, tools: o.targets.map((t) => t.name), cases, ms: performance.now() - started, findings, ...(unfuzzed.length > 0 ? { unfuzzed } : {}) };
}

/**
 * The case up to the breaking call, without each earlier call it breaks the same property
 * without (later calls keep their times). fast-check cannot shrink a sequence below two calls,
 * nor drop the throttled calls of a burst, and a saved scenario should hold only what matters.
 */
function withoutNeedlessCalls(ctx: CheckContext, c: FuzzCase, v: Violation): { case: FuzzCase; violation: Violation } {
  let best = { case: trimCase(c, v.callIndex), violation: v };
  for (let i = v.callIndex - 1; i >= 0; i--) {
    const calls = best.case.calls;
    if (i >= calls.length - 1) continue;
    const next = calls[i + 1]!;
    const without = { ...best.case, calls: [...calls.slice(0, i), { ...next, gapMs: calls[i]!.gapMs + next.gapMs }, ...calls.slice(i + 2)] };
    const still = checkCase(ctx, without);
    if (still !== null && still.propertyId === v.propertyId) best = { case: trimCase(without, still.callIndex), violation: still };
  }
  return best;
}

/** The case up to the call that broke the property: later calls change nothing. */
function trimCase(c: FuzzCase, callIndex: number): FuzzCase {
  return { ...c, calls: c.calls.slice(0, callIndex + 1) };
}
