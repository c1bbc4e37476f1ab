/**
 * One rule in Intercept's own syntax: the `rate_limit` shorthand, actions, conditions and the
 * `state` block, with the checks of Intercept's config.go / validate.go.
 */
import type { DiagnosticSink } from "../diagnostics.js";
import { goQuote, isGoInt } from "../gofmt.js";
import type { Condition } from "../model.js";
import { nearest } from "../../suggest.js";
import { describeNode, type YMap, type YNode } from "../../yaml-source.js";
import { compileConditions } from "./conditions.js";
import { scopeOf, type DraftRule, type DraftState } from "./draft.js";
import { asMap, asSeq, asString, checkKeys, field, goScalar } from "./fields.js";
import { APPROVAL_PREFIX } from "../../tape/recorded.js";

/** How Intercept's answer to a held call begins (PR #3). */

export const RULE_KEYS = ["name", "action", "rate_limit", "conditions", "on_deny", "state", "approval_timeout"] as const;
const STATE_KEYS = ["counter", "window", "increment", "increment_from"] as const;
const ACTIONS = ["evaluate", "deny", "require_approval"] as const;
const WINDOWS = ["minute", "hour", "day"] as const;
type CalendarUnit = (typeof WINDOWS)[number];
/** Go duration text, as `approval_timeout: "30m"`. */
const GO_DURATION = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))*$/;

export interface RuleContext {
  tool: string;
  index: number;
  sink: DiagnosticSink;
}

export function compileInterceptRule(map: YMap, ctx: RuleContext): DraftRule | null {
  const { tool, index, sink } = ctx;
  const where = `tools.${tool}.rules[${index}]`;
  checkKeys(map, RULE_KEYS, `rule ${where}`, sink);
  const name = asString(field(map, "name")?.value, "rule `name`", sink);
  const actionEntry = field(map, "action");
  let action = asString(actionEntry?.value, "rule `action`", sink);
  const onDeny = asString(field(map, "on_deny")?.value, "rule `on_deny`", sink) ?? "";
  const rateEntry = field(map, "rate_limit");
  const rateLimit = asString(rateEntry?.value, "`rate_limit`", sink);
  const condSeq = asSeq(field(map, "conditions")?.value, `${where}.conditions`, sink, "`conditions: [{path: args.x, op: eq, value: 1}]`");
  const stateMap = asMap(field(map, "state")?.value, `${where}.state`, sink, "`state: {counter: calls, window: hour}`");
  checkApprovalTimeout(map, action, where, sink);

  const draft: DraftRule = {
    tool, index, at: map.at, where, id: name ?? "", action: "evaluate", conditions: [],
    denyMessage: "", limitMessage: "", catalogue: false,
  };
  const hasConditions = condSeq !== null && condSeq.items.length > 0;

  if (rateLimit) {
    const at = rateEntry?.value.at ?? map.at;
    const parsed = parseRateLimit(rateLimit);
    if (action === "require_approval") {
      sink.error(at, `${where}: rate_limit cannot be used with action "require_approval"; put the rate limit in a rule of its own`);
      return null;
    }
    const canDesugar = !hasConditions && stateMap === null && action !== "deny";
    if (canDesugar && typeof parsed !== "string") {
      return desugar(draft, parsed, name ?? "", onDeny, at, sink);
    }
    // Intercept reports only the rate_limit problems of such a rule.
    if (typeof parsed === "string") sink.error(at, `${where}: ${parsed}`);
    if (hasConditions || stateMap !== null) {
      sink.error(at, `${where}: rate_limit cannot be combined with conditions or state; use separate rules or the full syntax instead`);
    }
    if (action === "deny") sink.error(at, `${where}: rate_limit cannot be used with action "deny"; drop rate_limit, or the action to rate-limit the tool`);
    if (stateMap) draft.state = compileState(stateMap, where, sink);
    return draft;
  }

  if (name === "") sink.error(map.at, `${where}: rule must have a name; add name: "<what this rule does>"`);
  if (action === "") action = "evaluate";
  if (action !== undefined && !(ACTIONS as readonly string[]).includes(action)) {
    const guess = action === "allow" ? null : nearest(action, ACTIONS);
    const hint = action === "allow"
      ? `an evaluate rule allows the calls its conditions accept; a tool listed with rules: [] is allowed`
      : `${guess ? `did you mean "${guess}"? ` : ""}use evaluate, deny or require_approval`;
    sink.error(actionEntry?.value.at ?? map.at, `${where}: action must be "evaluate" or "deny" (or "require_approval"), got "${action}"; ${hint}`);
  } else if (action !== undefined) {
    draft.action = action as DraftRule["action"];
  }
  if (action === "deny" && hasConditions) {
    sink.error(condSeq.at, `${where}: deny rules must not have conditions; use an evaluate rule whose conditions describe the calls to allow`);
  }
  if (action === "evaluate" && !hasConditions) {
    sink.error(map.at, `${where}: evaluate rules must have at least one condition; add conditions, use rate_limit: N/minute, or action: deny`);
  }
  if (condSeq) draft.conditions = compileConditions(condSeq, where, sink);
  const held = draft.action === "require_approval";
  if (stateMap && held) {
    sink.error(stateMap.at, `${where}: state cannot be used with action "require_approval"; put the counter in a rule of its own`);
  } else if (stateMap) draft.state = compileState(stateMap, where, sink);
  // The agent reads an approval hold with Intercept's prefix (PR #3); the text after it is ours.
  draft.denyMessage = held
    ? `${APPROVAL_PREFIX} ${onDeny || `Approval required by rule ${goQuote(name ?? "")}`}`
    : onDeny || `Denied by rule ${goQuote(name ?? "")}`;
  draft.limitMessage = onDeny || `Rate limit exceeded for ${name ?? ""}`;
  return draft;
}

interface RateLimit {
  /** A Go int: exact even past 2^53, and printed as Go prints it in the default message. */
  count: bigint;
  window: CalendarUnit;
}

/** Intercept's parseRateLimit: `N/window`, N a positive int (Go Atoi), window minute|hour|day. */
export function parseRateLimit(text: string): RateLimit | string {
  const slash = text.indexOf("/");
  if (slash < 0) return `rate_limit must be in the format "N/window" (e.g. "5/hour"), got "${text}"`;
  const countText = text.slice(0, slash);
  const window = text.slice(slash + 1);
  const count = /^[+-]?[0-9]+$/.test(countText) ? BigInt(countText) : undefined;
  if (count === undefined || count <= 0n || !isGoInt(count)) {
    return `rate_limit count must be a positive integer, got "${countText}"; write e.g. 30/minute`;
  }
  if (!(WINDOWS as readonly string[]).includes(window)) {
    return `rate_limit window must be "minute", "hour", or "day", got "${window}"; write e.g. ${count}/minute`;
  }
  return { count, window: window as CalendarUnit };
}

function desugar(draft: DraftRule, rl: RateLimit, name: string, onDeny: string, at: DraftState["at"], sink: DiagnosticSink): DraftRule {
  if (name === "") sink.error(draft.at, `${draft.where}: rule must have a name; add name: "${rl.count} per ${rl.window}"`);
  const scope = scopeOf(draft.tool);
  const counter = `_rate_${rl.window}`;
  const path = `state.${scope}.${counter}`;
  const cond: Condition = { path, segments: path.split("."), op: "lte", value: rl.count, pos: { file: sink.file, ...at } };
  const message = onDeny || `Rate limit of ${rl.count} per ${rl.window} reached. Try again later.`;
  return {
    ...draft,
    action: "evaluate",
    conditions: [cond],
    state: { counter, window: { kind: "calendar", unit: rl.window }, keying: "gateway", increment: 1, at, counterAt: at },
    denyMessage: message,
    limitMessage: message,
  };
}

function compileState(map: YMap, where: string, sink: DiagnosticSink): DraftState {
  checkKeys(map, STATE_KEYS, `${where}.state`, sink);
  const counterEntry = field(map, "counter");
  const windowEntry = field(map, "window");
  const counter = asString(counterEntry?.value, "state `counter`", sink) ?? "";
  const window = asString(windowEntry?.value, "state `window`", sink);
  const fromEntry = field(map, "increment_from");
  const incrementFrom = asString(fromEntry?.value, "state `increment_from`", sink) ?? "";
  if (counterEntry === undefined || counter === "") {
    sink.error(counterEntry?.value.at ?? map.at, `${where}.state: counter must not be empty; add counter: <name>, e.g. counter: daily_spend`);
  }
  if (window !== undefined && !(WINDOWS as readonly string[]).includes(window)) {
    sink.error(windowEntry?.value.at ?? map.at, `${where}.state: window must be "minute", "hour", or "day", got "${window}"`);
  }
  if (incrementFrom !== "" && !incrementFrom.startsWith("args.")) {
    sink.error(fromEntry?.value.at ?? map.at, `${where}.state: increment_from must start with "args.", got "${incrementFrom}"; write args.<argument>`);
  }
  const state: DraftState = {
    counter,
    window: { kind: "calendar", unit: (WINDOWS as readonly string[]).includes(window ?? "") ? (window as CalendarUnit) : "minute" },
    keying: "gateway",
    increment: readIncrement(field(map, "increment")?.value, where, sink),
    at: map.at,
    counterAt: counterEntry?.value.at ?? map.at,
  };
  if (incrementFrom !== "") state.incrementFrom = incrementFrom;
  return state;
}

/** Go `Increment int`: absent, null or 0 means 1; yaml.v3 truncates a float. */
function readIncrement(node: YNode | undefined, where: string, sink: DiagnosticSink): number {
  if (node === undefined || (node.kind === "scalar" && node.value === null)) return 1;
  const raw = node.kind === "scalar" ? goScalar(node) : undefined;
  const value = typeof raw === "bigint" && isGoInt(raw) ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    sink.error(node.at, `${where}.state: increment must be a whole number, got ${describeNode(node)}; write e.g. increment: 1`);
    return 1;
  }
  const whole = Math.trunc(value);
  if (whole !== value) sink.warning(node.at, `${where}.state: increment ${node.kind === "scalar" ? node.text : ""} is cut to ${whole}; write a whole number`);
  if (whole < 0) sink.warning(node.at, `${where}.state: a negative increment gives calls back instead of counting them; write a positive number`);
  return whole === 0 ? 1 : whole;
}

function checkApprovalTimeout(map: YMap, action: string | undefined, where: string, sink: DiagnosticSink): void {
  const entry = field(map, "approval_timeout");
  if (!entry) return;
  const text = asString(entry.value, "`approval_timeout`", sink);
  if (text === undefined || text === "") return;
  if (!GO_DURATION.test(text)) {
    sink.error(entry.value.at, `${where}: approval_timeout must be a duration like "30m" or "1h30m", got "${text}"`);
  }
  if (action !== "require_approval") {
    sink.warning(entry.key.at, `${where}: approval_timeout only applies to action: require_approval; remove it or change the action`);
  }
}
