/** What fuzzing works on: generated cases, the properties they are held against, findings. */
import type { DecisionKind } from "../engine/types.js";
import type { ForbidExpr } from "./expr.js";

/** One generated call: how long after the call before (or the case start) and its arguments. */
export interface FuzzCall {
  gapMs: number;
  args: unknown;
}

/** A sequence of calls of one tool through a fresh gateway (fresh counters). */
export interface FuzzCase {
  tool: string;
  /** The caller's token claims, for every call of the case (policies that decide by who calls: Cedar). */
  claims?: Record<string, unknown>;
  /** Time of the first call's window reference, ms since the epoch (the first call is at start + its gap). */
  start: number;
  calls: FuzzCall[];
}

/** A property a policy must keep, beyond "never throws, always decides". */
export type Property =
  /** The policy must never allow a call of `tool` (any tool when undefined) for which `expr` holds. */
  | { kind: "forbid"; tool?: string; expr: ForbidExpr }
  /** No more than `max` allowed calls of `tool` in any span of `perMs`. */
  | { kind: "max_calls"; tool: string; max: number; perMs: number; source: string };

export type FindingKind = "throws" | "undecided" | "against" | "forbid" | "max_calls";

/** What one call of a case was decided. */
export interface CallOutcome {
  t: number;
  args: unknown;
  decision: DecisionKind | "error";
  rule: string | null;
  message: string | null;
}

/** A case that breaks a property, and where. */
export interface Violation {
  kind: FindingKind;
  /** What broke the property, in words: `allowed while args.path contains ".."`, `decided otherwise by the --against policy`. */
  property: string;
  /** Identifies the property so a later round can set it aside. */
  propertyId: string;
  /** 0-based index of the call that broke it. */
  callIndex: number;
  /** What the policy should decide for that call: the scenario's expectation. */
  expected: DecisionKind;
  /** Every call of the case up to the breaking one, as the policy decided it. */
  outcomes: CallOutcome[];
  /** With `--against`: how the other policy decided the breaking call. */
  other?: { decision: DecisionKind; rule: string | null };
  /** When the engine threw. */
  error?: string;
}

export interface Finding {
  tool: string;
  violation: Violation;
  case: FuzzCase;
  /** The seed given to fast-check for this tool. */
  fcSeed: number;
  /** What `--path` takes to replay it: fast-check's path of the shrunk counterexample, and the properties set aside (run.ts replayPath). */
  path: string;
  /** How long after the run started it was found and shrunk (ms). */
  foundMs: number;
  /** Where `--save` wrote the scenario. */
  saved?: string;
}

export interface FuzzResult {
  seed: number;
  tools: string[];
  cases: number;
  ms: number;
  findings: Finding[];
  /** No --forbid, --properties or --against: only that the engine decides every call without an error was checked. */
  engineOnly?: true;
  /** Tools the time budget ran out before (not one case run): nothing was checked on them. */
  unfuzzed?: string[];
  /** Each forbidden expression and the tools it was checked on. */
  forbids?: { expr: string; tools: string[] }[];
}
