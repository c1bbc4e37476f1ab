/** Scenario files as loaded (checked, positions kept) and what running them gives. */
import type { DecisionKind } from "../engine/types.js";
import type { Claims } from "../gateway/cedar.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import type { PolicyDialect } from "../policy/model.js";
import type { ToolInfo } from "../tape/tools.js";
import type { ToolhiveRateLimitConfig } from "../cedar/toolhive-rate-limit.js";
import type { DecidedCall, Outcome, ReplayOptions, Summary } from "../replay/types.js";

/** A place in a scenario file. */
export interface At {
  file: string;
  line: number;
  col: number;
}

/** The policy a scenario runs: a file, or a mapping written inline in the scenario. */
export type ScenarioPolicy =
  | { kind: "file"; path: string; at: At }
  /** `text` is the policy's source padded so its lines and columns are the scenario file's. */
  | { kind: "inline"; text: string; json: string; at: At }
  /** Policy text under `policy: |` (Cedar), padded so its lines and columns are the scenario file's. */
  | { kind: "text"; text: string; at: At };

/** What tools/list said before the scenario's calls: written out, or a tape or tools JSON to read. */
export type ScenarioTools = { kind: "inline"; tools: ToolInfo[] } | { kind: "file"; path: string; at: At };

export interface InlineCall {
  /** Virtual time, ms since the epoch. */
  t: number;
  tool: string;
  args: unknown;
  session: string;
  identity?: string;
  /** The claims of the caller's token, for this call's session from here on. */
  claims?: Claims;
  outcome: Outcome;
  /** When the answer came (ms after the call); reservations given back then on a failed answer. */
  latencyMs: number;
  /** 1-based position in the scenario's `calls:` list. */
  index: number;
  at: At;
}

/** Which calls an expectation checks. */
export type Selector =
  | { kind: "index"; call: number; tool?: string; session?: string }
  | { kind: "tool"; tool: string; nth?: number; session?: string };

export interface CallCheck {
  decision?: DecisionKind;
  /** null: no rule decided (an allow). */
  rule?: string | null;
  message?: string | null;
  /** Evaluation errors: how many, or substrings that each must appear in one of them. */
  errors?: number | string[];
}

export interface CallExpectation {
  selector: Selector;
  check: CallCheck;
  at: At;
}

export const SUMMARY_KEYS = ["calls", "allow", "deny", "throttle", "approval", "undecided", "changed"] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

export interface SummaryExpectation {
  counts: Partial<Record<SummaryKey, number>>;
  at: At;
}

export interface Scenario {
  name: string;
  /** Where the scenario starts (its mapping), for reports. */
  at: At;
  policy: ScenarioPolicy;
  dialect?: PolicyDialect;
  /** How a Cedar policy is decided: `profile:` and the `gateway:` settings. */
  cedar?: CedarOptions;
  /** `tools:`: the tools the server listed, before any tools/list of the tapes. */
  tools?: ScenarioTools;
  /** `identities:`: claims per identity, for calls that give an identity and no claims. */
  identities?: Map<string, Claims>;
  /** `limits:`: ToolHive's rate-limit config, checked before Cedar under the toolhive profile. */
  limits?: ToolhiveRateLimitConfig;
  /** Where the scenario's own `limits:` is (none when they are `test --limits` defaults). */
  limitsAt?: At;
  /** Tape paths, resolved against the scenario file's folder. */
  tapes: string[];
  calls: InlineCall[];
  options: ReplayOptions;
  expectCalls: CallExpectation[];
  expectSummary?: SummaryExpectation;
}

/** One thing a scenario expected that did not hold. */
export interface Failure {
  /** The expectation's place in the scenario file. */
  at: At;
  /** The expectation in words: `call 6`, `the 2nd call of create_issue`, `summary`. */
  subject: string;
  /** What differs, in one line: `decision: expected throttle, got allow`. */
  message: string;
  /** The call it was about, when there is one. */
  call?: { index: number; decided: DecidedCall };
  /** What a call expectation asked for. */
  expected?: CallCheck;
  /** A summary expectation: the counts asked for and the counts there were. */
  counts?: { expected: Partial<Record<SummaryKey, number>>; actual: Partial<Record<SummaryKey, number>> };
}

export interface ScenarioResult {
  scenario: Scenario;
  /** Every decided call, in replay order. */
  calls: DecidedCall[];
  summary: Summary;
  /** Number of checks made (a `tool` expectation checks every call it names). */
  checks: number;
  failures: Failure[];
  /** Run time, ms. */
  durationMs: number;
  /** Which gateway decided it (Gateway.kind: `intercept`, `cedar (toolhive)`, …). */
  gateway: string;
}

/**
 * A test case that could not run: a scenario file that cannot be read or is not valid (named
 * by its file), or a scenario whose policy or tapes are bad (named by the scenario).
 */
export interface Errored {
  name: string;
  at: At;
  /** `file:line:col: error: what is wrong; what to write`. */
  message: string;
}

export interface TestRun {
  /** The scenario files, in the order run. */
  files: string[];
  results: ScenarioResult[];
  /** Test cases that could not run; the others still ran. */
  errored: Errored[];
  /** Policy warnings and tape warnings, each once. */
  warnings: string[];
}

export function passed(r: ScenarioResult): boolean {
  return r.failures.length === 0;
}
