/**
 * The Gateway interface: what replay, diff, fuzz and test speak to, whatever engine decides.
 * A gateway is one engine with its state (counters): it decides a call at a time on the
 * virtual clock, gives back what an allowed call took when its answer failed, learns the
 * tools a server listed, and names its rules for coverage. Engines: the policy model
 * (src/engine) and Cedar (src/cedar); `createGateway` picks one from a LoadedPolicy.
 */
import type { Call, Decision, Reservation } from "../engine/types.js";
import type { RecognisedAnswer } from "../tape/recorded.js";
import type { ToolInfo } from "../tape/tools.js";

export type { LoadedPolicy } from "../policy/loaded.js";

/** A call as a gateway sees it: the model's call plus the caller's token claims, when known. */
export interface GatewayCall extends Call {
  claims?: Record<string, unknown>;
}

export interface DecideOptions {
  /** A human approved this call: approval rules let it through. */
  approve?: boolean;
}

export interface Gateway {
  /**
   * Which gateway decides, as reports name it: `intercept`, `policylayer`, `cedar (toolhive)`.
   * Two different ones name rules and word messages differently: a diff between them compares decisions only.
   */
  readonly kind: string;
  /** Decides one call at virtual time `now` (ms); an allowed call takes its reservations. */
  decide(call: GatewayCall, now: number, options?: DecideOptions): Decision;
  /** Gives back the reservations of an allowed call whose answer failed. */
  rollback(reservations: readonly Reservation[]): void;
  /** A counter's value at `now` (0 for a gateway without counters). */
  readCounter(key: string, now: number): number;
  /** A server answered tools/list: later calls see these tools (a name listed again is replaced). */
  listTools(tools: readonly ToolInfo[]): void;
  /** What a gateway in the recording decided, read from the answer its client got (`changed` compares with it). */
  recognise(response: Record<string, unknown>, httpStatus?: number): RecognisedAnswer;
  /** Every rule the policy names, in file order, for coverage. */
  ruleNames(): string[];
  /** Whether the policy has rules of the tool's own (coverage names called tools that have none). */
  hasOwnRules(tool: string): boolean;
  /** Forgets all state (counters): the gateway as if just started. Fuzzing reuses one per case. */
  reset(): void;
  /** Cedar: what coverage says of the tools beside the rules (`called`: the tools the tapes called). */
  toolCoverage?(called: readonly string[]): ToolCoverage;
  /**
   * Cedar: a caller seen by some gateway run (a session's claims, its identity), for
   * toolCoverage's tools/list check when no one gateway saw every tape (threads, shards).
   */
  noteCaller?(claims: Record<string, unknown> | undefined, identity: string | undefined): void;
}

export interface ToolCoverage {
  /** Tools (listed or called) that no permit's action and resource constraints match. */
  unreachableTools: string[];
  /** Listed tools the gateway would leave out of its tools/list answer, and for which callers. */
  hiddenFromToolsList: { tool: string; from: string[] }[];
}
