/**
 * The catalogue form of the seed documents (`action: allow|deny`, `rate_limit: {max, window}`
 * in seconds, `reason`). Intercept refuses it; we load it with its documented meaning
 * (per-session counters, fixed windows of `window` seconds aligned to the Unix epoch) and warn
 * with the Intercept rule that would do the same, where there is one.
 */
import type { DiagnosticSink } from "../diagnostics.js";
import { goQuote } from "../gofmt.js";
import type { Condition } from "../model.js";
import type { YMap, YNode } from "../../yaml-source.js";
import { compileConditions } from "./conditions.js";
import { scopeOf, type DraftRule } from "./draft.js";
import { asMap, asSeq, asString, checkKeys, field, goScalar } from "./fields.js";

const CATALOGUE_KEYS = ["name", "action", "rate_limit", "reason", "conditions", "on_deny"] as const;
const RATE_KEYS = ["max", "window"] as const;
const CALENDAR: Record<number, string> = { 60: "minute", 3600: "hour", 86400: "day" };

/**
 * A rule in the catalogue form: `action: allow`, a mapping `rate_limit`, or a `reason`.
 * `action: allow` beside a `rate_limit: N/W` text is Intercept's own shorthand: Intercept
 * desugars it and overwrites any action but deny with `evaluate`, so it accepts that rule.
 */
export function isCatalogueRule(node: YNode): boolean {
  if (node.kind !== "map") return false;
  const action = field(node, "action")?.value;
  const rate = field(node, "rate_limit")?.value;
  const shorthand = rate?.kind === "scalar" && rate.value !== null;
  const allow = action?.kind === "scalar" && action.text === "allow" && !shorthand;
  return allow || rate?.kind === "map" || field(node, "reason") !== undefined;
}

export interface CatalogueContext {
  tool: string;
  index: number;
  sink: DiagnosticSink;
  /** Counter names already used by this tool's rules, to keep generated names apart. */
  counters: Set<string>;
}

export function compileCatalogueRule(map: YMap, ctx: CatalogueContext): DraftRule | null {
  const { tool, index, sink } = ctx;
  const where = `tools.${tool}.rules[${index}]`;
  checkKeys(map, CATALOGUE_KEYS, `rule ${where}`, sink);
  const name = asString(field(map, "name")?.value, "rule `name`", sink) ?? "";
  const actionEntry = field(map, "action");
  const action = asString(actionEntry?.value, "rule `action`", sink) ?? "";
  const reason = asString(field(map, "reason")?.value, "rule `reason`", sink) || (asString(field(map, "on_deny")?.value, "rule `on_deny`", sink) ?? "");
  const condSeq = asSeq(field(map, "conditions")?.value, `${where}.conditions`, sink, "`conditions: [{path: args.x, op: eq, value: 1}]`");
  const conditions = condSeq ? compileConditions(condSeq, where, sink) : [];
  const id = name || where;
  const draft: DraftRule = {
    tool, index, at: map.at, where, id, action: "evaluate", conditions,
    denyMessage: reason || `Denied by rule ${goQuote(id)}`, limitMessage: reason, catalogue: true,
  };

  if (action !== "" && action !== "allow" && action !== "deny") {
    sink.error(actionEntry?.value.at ?? map.at, `${where}: action must be "allow" or "deny" in the catalogue form, got "${action}"`);
    return null;
  }
  const rateEntry = field(map, "rate_limit");
  const rate = rateEntry ? readRate(rateEntry.value, where, sink) : null;
  if (action === "deny") {
    if (rateEntry) sink.error(rateEntry.key.at, `${where}: rate_limit cannot be used with action "deny"; drop one of them`);
    draft.action = "deny";
    sink.warning(map.at, catalogueWarning(where, denyEquivalent(id, reason, conditions.length > 0)));
    return draft;
  }
  if (rate === "invalid") return draft;
  if (rate) {
    let counter = `_rate_${rate.window}s`;
    if (ctx.counters.has(counter)) counter += `_${index}`;
    ctx.counters.add(counter);
    const path = `state.${scopeOf(tool)}.${counter}`;
    const cond: Condition = { path, segments: path.split("."), op: "lte", value: BigInt(rate.max), pos: { file: sink.file, ...(rateEntry?.value.at ?? map.at) } };
    draft.conditions = [...conditions, cond];
    draft.limitMessage = reason || `Rate limit of ${rate.max} per ${rate.window} seconds reached. Try again later.`;
    draft.state = {
      counter, window: { kind: "seconds", seconds: rate.window }, keying: "session", increment: 1,
      at: rateEntry?.value.at ?? map.at, counterAt: rateEntry?.value.at ?? map.at,
    };
  }
  sink.warning(map.at, catalogueWarning(where, allowEquivalent(tool, name, rate, conditions.length > 0)));
  return draft;
}

interface Rate {
  max: number;
  window: number;
}

function readRate(node: YNode, where: string, sink: DiagnosticSink): Rate | "invalid" {
  const map = asMap(node, `${where}.rate_limit`, sink, "`rate_limit: {max: 30, window: 60}`");
  if (!map) {
    if (node.kind === "scalar" && node.value !== null) {
      sink.error(node.at, `${where}: a catalogue rule takes rate_limit: {max: N, window: SECONDS}, got "${node.text}"`);
    }
    return "invalid";
  }
  checkKeys(map, RATE_KEYS, `${where}.rate_limit`, sink);
  const max = positiveInt(field(map, "max")?.value);
  const window = positiveInt(field(map, "window")?.value);
  if (max === null) sink.error(field(map, "max")?.value.at ?? map.at, `${where}.rate_limit: max must be a positive whole number of calls; write e.g. max: 30`);
  if (window === null) sink.error(field(map, "window")?.value.at ?? map.at, `${where}.rate_limit: window must be a positive whole number of seconds; write e.g. window: 60`);
  return max === null || window === null ? "invalid" : { max, window };
}

function positiveInt(node: YNode | undefined): number | null {
  if (node?.kind !== "scalar") return null;
  const v = goScalar(node);
  return typeof v === "bigint" && v > 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
}

function catalogueWarning(where: string, equivalent: string): string {
  return `${where}: catalogue form (action allow/deny, rate_limit {max, window}, reason): Intercept would refuse this file; mcptape loads it with per-session counters. ${equivalent}`;
}

function allowEquivalent(tool: string, name: string, rate: Rate | null, hasConditions: boolean): string {
  if (!rate) {
    return hasConditions
      ? `Intercept equivalent: an evaluate rule with the same conditions: {name: "${name || `${tool} arguments`}", conditions: [...]}`
      : `Intercept equivalent: no rule; list the tool with rules: []`;
  }
  const unit = CALENDAR[rate.window];
  if (!unit) {
    return `There is no Intercept equivalent: its windows are a minute, an hour or a day (60, 3600 or 86400 seconds), not ${rate.window} seconds`;
  }
  const limitRule = `{name: "${name || `${tool} rate limit`}", rate_limit: ${rate.max}/${unit}}`;
  const counting = " (Intercept counts the calls of the whole gateway, not of one session)";
  return hasConditions
    ? `Intercept equivalent: an evaluate rule with the same conditions, then ${limitRule}${counting}`
    : `Intercept equivalent: ${limitRule}${counting}`;
}

function denyEquivalent(id: string, reason: string, hasConditions: boolean): string {
  if (hasConditions) {
    return "There is no direct Intercept equivalent: its deny rules take no conditions; write an evaluate rule whose conditions describe the calls to allow";
  }
  const name = id.startsWith("tools.") ? "deny" : id;
  return `Intercept equivalent: {name: "${name}", action: deny${reason ? `, on_deny: ${JSON.stringify(reason)}` : ""}}`;
}
