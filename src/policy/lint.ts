/**
 * Warnings about policies Intercept accepts but that do not do what their author meant:
 * rules that can never decide a call, and counters Intercept never increments.
 * (Unknown keys, catalogue form, regex and number warnings are raised where those nodes are read.)
 */
import type { DiagnosticSink } from "./diagnostics.js";
import type { DraftRule } from "./dialects/draft.js";
import { counterLimit, type InterceptFile } from "./dialects/intercept.js";
import { scopeOf } from "./dialects/draft.js";

export function lintIntercept(file: InterceptFile, sink: DiagnosticSink): void {
  warnUnreachableRules(file, sink);
  warnHiddenRules(file, sink);
  warnUnlimitedCounters(file, sink);
}

/** After a deny with no conditions, nothing later in the same list is ever looked at. */
function warnUnreachableRules(file: InterceptFile, sink: DiagnosticSink): void {
  for (const tool of file.tools) {
    const wall = tool.rules.find((r) => r.action === "deny" && r.conditions.length === 0);
    if (!wall) continue;
    const subject = tool.name === "*" ? "every tool" : tool.name;
    for (const rule of tool.rules) {
      if (rule.index <= wall.index) continue;
      sink.warning(rule.at, `${rule.where}: rule "${rule.id}" can never decide a call: rule "${wall.id}" above it denies every call of ${subject}; move it above that rule or remove it`);
    }
  }
  const listed = file.tools.filter((t) => t.name !== "*");
  const wildcard = file.tools.find((t) => t.name === "*");
  if (file.defaultAction === "deny" && listed.length === 0 && wildcard && wildcard.rules.length > 0) {
    sink.warning(wildcard.at, `default: deny with no tool listed denies every call before the "*" rules run; list the allowed tools under tools`);
  }
}

function warnHiddenRules(file: InterceptFile, sink: DiagnosticSink): void {
  const all = file.hide.find((h) => h.name === "*");
  if (all) {
    if (file.tools.some((t) => t.rules.length > 0)) {
      sink.warning(all.at, `hide: "*" hides every tool: every call is denied as hidden and no rule ever runs; list the tools to hide instead`);
    }
    return;
  }
  const hidden = new Set(file.hide.map((h) => h.name));
  for (const tool of file.tools) {
    if (hidden.has(tool.name) && tool.rules.length > 0) {
      sink.warning(tool.at, `tool ${tool.name} is in hide, so its rules never run (hidden tools are denied first); remove it from hide or drop its rules`);
    }
  }
}

/** Intercept reserves a counter only when its own rule has lt/lte on it; otherwise it stays 0. */
function warnUnlimitedCounters(file: InterceptFile, sink: DiagnosticSink): void {
  for (const tool of file.tools) {
    for (const rule of tool.rules) {
      if (!rule.state || rule.state.counter === "" || counterLimit(rule) !== undefined) continue;
      sink.warning(rule.state.at, unlimitedMessage(rule));
    }
  }
}

function unlimitedMessage(rule: DraftRule): string {
  const path = `state.${scopeOf(rule.tool)}.${rule.state?.counter ?? ""}`;
  return `${rule.where}: counter "${rule.state?.counter}" has no lt/lte condition on ${path} in the same rule, so Intercept never increments it and any check on it always sees 0; add {path: ${path}, op: lte, value: N} to this rule`;
}
