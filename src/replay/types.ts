/** What replay reads from tapes and what it hands to reports. */
import type { Decision, DecisionKind } from "../engine/types.js";
import type { Outcome, RecordedDecision } from "../tape/schema.js";
import type { ToolInfo } from "../tape/tools.js";

export type { Outcome };

/** A `tools/call` as the gateway saw it: from a `msg` request or a `call` line. */
export interface CallEvent {
  type: "call";
  /** Virtual time in ms since the epoch (after --at and --speed). */
  t: number;
  /** The tape's own text of `t`, when it is what a report writes for it (see DecidedCall). */
  time?: string;
  session: string;
  seq: number;
  tool: string;
  args: unknown;
  /** Pairing key of the request (session + JSON-RPC id); absent for `call` lines. */
  key?: string;
  /** A `call` line with `argsHash` and no `args` (an imported audit log): the arguments are unknown. */
  argsUnknown?: boolean;
  /** `call` lines carry their answer with them. */
  answer?: { outcome: Outcome; latencyMs: number; recorded: RecordedDecision | null };
  /** Which tape (its path) and line the call came from, for messages. */
  tape: string;
  line: number;
}

/**
 * The upstream (or a gateway in the path) answered a request. The gateway run reads what a
 * gateway in the recording decided from it (each engine knows its own gateways' answers).
 */
export interface AnswerEvent {
  type: "answer";
  t: number;
  key: string;
  /** The JSON-RPC response: has `result` or `error`. */
  response: Record<string, unknown>;
  /** The HTTP status that carried it, when the recorder saw one that was not 2xx. */
  http?: number;
}

/** A session's identity (and the claims of its bearer token) became known. */
export interface SessionEvent {
  type: "session";
  t: number;
  session: string;
  identity?: string;
  claims?: Record<string, unknown>;
}

/** A server answered tools/list: the tools it offers, with annotations and input schemas. */
export interface ToolsEvent {
  type: "tools";
  t: number;
  tools: ToolInfo[];
}

export type ReplayEvent = CallEvent | AnswerEvent | SessionEvent | ToolsEvent;

/** One call with the candidate policy's decision. */
export interface DecidedCall {
  session: string;
  seq: number;
  /** Virtual time, ms. */
  t: number;
  /**
   * The tape's own text of `t` when that is exactly what `iso(t)` gives (replay time is
   * recorded time, and the tape wrote milliseconds), so reports copy it instead of formatting.
   */
  time?: string;
  tool: string;
  args: unknown;
  identity?: string;
  decision: Decision;
  /** What the recording shows the gateway decided; null when unknown (no answer, hand-written call). */
  recorded: RecordedDecision | null;
  outcome: Outcome | null;
  /** The candidate decision differs from the recorded one (never set for an `undecided` call). */
  changed: boolean;
  /**
   * The tape lacks this call's arguments and the decision read these (`args.amount`): it was
   * decided as if they were absent, and its message says so.
   */
  undecidable?: string[];
  tape: string;
  line: number;
}

export interface ReplayOptions {
  /** Time runs this many times faster (1 = as recorded). */
  speed: number;
  /** Move every tape so that it starts at this time (ms), keeping offsets. */
  at?: number;
  approvals: "approve" | "deny" | "pending";
  rollbackOn: "error" | "error+isError";
  window: "fixed" | "sliding" | "token-bucket";
  /** Identity for sessions whose tape names none. */
  identity?: string;
  /** One gateway for all tapes (merged by time) instead of one per tape. */
  together: boolean;
}

export const DEFAULT_REPLAY_OPTIONS: ReplayOptions = {
  speed: 1,
  approvals: "pending",
  rollbackOn: "error",
  window: "fixed",
  together: false,
};

export type Summary = Record<DecisionKind, number> & { calls: number; changed: number };

export function emptySummary(): Summary {
  return { calls: 0, allow: 0, deny: 0, throttle: 0, approval: 0, undecided: 0, changed: 0 };
}
