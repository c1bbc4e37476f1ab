/** A scenario's `expect:`: checks on calls (by index or by tool) and on the summary counts. */
import { DECISION_KINDS } from "../engine/types.js";
import type { YNode } from "../yaml-source.js";
import type { ScenarioReader } from "./reader.js";
import { SUMMARY_KEYS, type CallCheck, type CallExpectation, type Selector, type SummaryExpectation } from "./types.js";

const EXPECT_KEYS = ["calls", "summary"] as const;
const CALL_EXPECT_KEYS = ["call", "tool", "nth", "session", "decision", "rule", "message", "errors"] as const;

export function readExpect(r: ScenarioReader, node: YNode): { calls: CallExpectation[]; summary?: SummaryExpectation } {
  const m = r.map(node, "expect", "expect: {calls: [{call: 1, decision: allow}], summary: {allow: 1}}");
  r.keys(m, EXPECT_KEYS, "expect");
  const callsNode = r.get(m, "calls");
  const summaryNode = r.get(m, "summary");
  const calls = callsNode ? r.seq(callsNode, "expect.calls", "calls: [{call: 1, decision: allow}]").items.map((item, i) => readCallExpectation(r, item, i)) : [];
  const summary = summaryNode ? readSummary(r, summaryNode) : undefined;
  if (calls.length === 0 && !summary) {
    r.fail(node, "`expect` checks nothing", "add calls: [{call: 1, decision: allow}] or summary: {allow: 1}");
  }
  return { calls, summary };
}

function readCallExpectation(r: ScenarioReader, node: YNode, i: number): CallExpectation {
  const m = r.map(node, `expectation ${i + 1}`, "{call: 1, decision: allow}");
  r.keys(m, CALL_EXPECT_KEYS, "a call expectation");
  const callNode = r.get(m, "call");
  const toolNode = r.get(m, "tool");
  const nthNode = r.get(m, "nth");
  const sessionNode = r.get(m, "session");
  const tool = toolNode ? r.string(toolNode, "tool", "tool: create_issue") : undefined;
  const session = sessionNode ? r.string(sessionNode, "session", "session: s2") : undefined;

  let selector: Selector;
  if (callNode) {
    if (nthNode) r.fail(nthNode, "`nth` picks among the calls of a `tool`, and `call` already names one call", "drop `nth`, or `call` and keep tool + nth");
    selector = { kind: "index", call: r.int(callNode, "call", 1), tool, session };
  } else if (tool !== undefined) {
    selector = { kind: "tool", tool, nth: nthNode ? r.int(nthNode, "nth", 1) : undefined, session };
  } else {
    r.fail(m, "the expectation names no call", "add call: <index> (1-based, in replay order) or tool: <name>");
  }

  const check: CallCheck = {};
  const decisionNode = r.get(m, "decision");
  const ruleNode = r.get(m, "rule");
  const messageNode = r.get(m, "message");
  if (decisionNode) check.decision = r.oneOf(decisionNode, "decision", DECISION_KINDS);
  if (ruleNode) check.rule = r.stringOrNull(ruleNode, "rule", "rule: hourly issue limit");
  if (messageNode) check.message = r.stringOrNull(messageNode, "message", 'message: "Denied by rule \\"x\\""');
  const errorsNode = r.get(m, "errors");
  if (errorsNode) {
    check.errors = errorsNode.kind === "seq"
      ? r.strings(errorsNode, "errors", 'errors: ["does not have the attribute"]').map((s) => s.value)
      : r.int(errorsNode, "errors", 0);
  }
  if (!decisionNode && !ruleNode && !messageNode && !errorsNode) {
    r.fail(m, "the expectation checks nothing", "add decision: allow|deny|throttle|approval, rule:, message: or errors:");
  }
  return { selector, check, at: r.at(m) };
}

function readSummary(r: ScenarioReader, node: YNode): SummaryExpectation {
  const m = r.map(node, "summary", "summary: {allow: 5, throttle: 1}");
  r.keys(m, SUMMARY_KEYS, "expect.summary");
  const counts: SummaryExpectation["counts"] = {};
  for (const e of m.entries) counts[e.keyText as (typeof SUMMARY_KEYS)[number]] = r.int(e.value, e.keyText, 0);
  if (m.entries.length === 0) r.fail(node, "`summary` checks nothing", "write summary: {allow: 5, throttle: 1}");
  return { counts, at: r.at(m) };
}
