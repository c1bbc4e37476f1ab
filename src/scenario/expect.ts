/**
 * Comparing what a scenario expected with what the gateway decided. Each expectation that does
 * not hold becomes a Failure that says exactly which field differs, on which call.
 */
import type { DecidedCall, Summary } from "../replay/types.js";
import type { CallCheck, CallExpectation, Failure, Scenario, SummaryExpectation, SummaryKey } from "./types.js";

/** A `tool` expectation over a long tape reports at most this many differing calls one by one. */
export const MAX_FAILURES_PER_EXPECTATION = 10;

export interface CheckOutcome {
  checks: number;
  failures: Failure[];
}

export function checkScenario(scenario: Scenario, calls: readonly DecidedCall[], summary: Summary): CheckOutcome {
  const out: CheckOutcome = { checks: 0, failures: [] };
  for (const e of scenario.expectCalls) checkCalls(e, calls, out);
  if (scenario.expectSummary) checkSummary(scenario.expectSummary, summary, out);
  return out;
}

function checkCalls(e: CallExpectation, calls: readonly DecidedCall[], out: CheckOutcome): void {
  const sel = e.selector;
  const expected = e.check;
  if (sel.kind === "index") {
    out.checks++;
    const decided = calls[sel.call - 1];
    if (!decided) {
      const made = `the scenario made ${calls.length === 0 ? "no calls" : `only ${plural(calls.length, "call")}`}`;
      out.failures.push({ at: e.at, subject: `call ${sel.call}`, message: `no such call: ${made}`, expected });
      return;
    }
    const subject = `call ${sel.call} (${decided.tool})`;
    const wrong = [
      sel.tool !== undefined && decided.tool !== sel.tool ? `tool: expected ${sel.tool}, got ${decided.tool}` : null,
      sel.session !== undefined && decided.session !== sel.session ? `session: expected ${sel.session}, got ${decided.session}` : null,
    ].filter((x): x is string => x !== null);
    const differs = [...wrong, ...differences(expected, decided)];
    if (differs.length > 0) out.failures.push(failure(e, subject, differs, decided, sel.call - 1));
    return;
  }

  const matching: number[] = [];
  calls.forEach((c, i) => {
    if (c.tool === sel.tool && (sel.session === undefined || c.session === sel.session)) matching.push(i);
  });
  const inSession = sel.session === undefined ? "" : ` in session ${sel.session}`;
  if (sel.nth !== undefined) {
    out.checks++;
    const i = matching[sel.nth - 1];
    const subject = `the ${ordinal(sel.nth)} call of ${sel.tool}${inSession}`;
    if (i === undefined) {
      const made = matching.length === 0 ? "it was never called" : `it was called only ${plural(matching.length, "time")}`;
      out.failures.push({ at: e.at, subject, message: `no such call: ${made}`, expected });
      return;
    }
    const differs = differences(expected, calls[i]!);
    if (differs.length > 0) out.failures.push(failure(e, `call ${i + 1}, ${subject}`, differs, calls[i]!, i));
    return;
  }
  if (matching.length === 0) {
    out.checks++;
    const subject = `calls of ${sel.tool}${inSession}`;
    out.failures.push({ at: e.at, subject, message: `no call of ${sel.tool}${inSession} was made`, expected });
    return;
  }
  let failed = 0;
  for (const i of matching) {
    out.checks++;
    const differs = differences(expected, calls[i]!);
    if (differs.length === 0) continue;
    failed++;
    if (failed <= MAX_FAILURES_PER_EXPECTATION) {
      out.failures.push(failure(e, `call ${i + 1} (${sel.tool}${inSession}, ${ordinal(matching.indexOf(i) + 1)} of ${matching.length})`, differs, calls[i]!, i));
    }
  }
  if (failed > MAX_FAILURES_PER_EXPECTATION) {
    const more = failed - MAX_FAILURES_PER_EXPECTATION;
    out.failures.push({ at: e.at, subject: `calls of ${sel.tool}${inSession}`, message: `${plural(more, "more call")} of ${sel.tool} differ${more === 1 ? "s" : ""} the same way (${failed} of ${matching.length} in all)`, expected });
  }
}

/** The fields of `expected` that the decided call does not match, in words. */
export function differences(expected: CallCheck, call: DecidedCall): string[] {
  const d = call.decision;
  const out: string[] = [];
  if (expected.decision !== undefined && expected.decision !== d.decision) out.push(`decision: expected ${expected.decision}, got ${d.decision}`);
  if (expected.rule !== undefined && expected.rule !== d.rule) out.push(`rule: expected ${quoted(expected.rule)}, got ${quoted(d.rule)}`);
  if (expected.message !== undefined && expected.message !== d.message) out.push(`message: expected ${quoted(expected.message)}, got ${quoted(d.message)}`);
  const errors = d.errors ?? [];
  if (typeof expected.errors === "number" && expected.errors !== errors.length) {
    out.push(`errors: expected ${expected.errors}, got ${errors.length}${errors.length > 0 ? ` (${errors.map((e) => JSON.stringify(e)).join(", ")})` : ""}`);
  } else if (Array.isArray(expected.errors)) {
    for (const part of expected.errors) {
      if (!errors.some((e) => e.includes(part))) out.push(`errors: expected one containing ${JSON.stringify(part)}, got ${errors.length === 0 ? "none" : errors.map((e) => JSON.stringify(e)).join(", ")}`);
    }
  }
  return out;
}

function failure(e: CallExpectation, subject: string, differs: string[], decided: DecidedCall, index: number): Failure {
  return {
    at: e.at,
    subject,
    message: differs.join("; "),
    call: { index: index + 1, decided },
    expected: e.check,
  };
}

function checkSummary(e: SummaryExpectation, summary: Summary, out: CheckOutcome): void {
  out.checks++;
  const differs: string[] = [];
  const actual: Partial<Record<SummaryKey, number>> = {};
  for (const [key, want] of Object.entries(e.counts) as [SummaryKey, number][]) {
    actual[key] = summary[key];
    if (summary[key] !== want) differs.push(`${key}: expected ${want}, got ${summary[key]}`);
  }
  if (differs.length > 0) out.failures.push({ at: e.at, subject: "summary", message: differs.join("; "), counts: { expected: e.counts, actual } });
}

export function quoted(s: string | null): string {
  return s === null ? "none" : JSON.stringify(s);
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return `${n}${suffix}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
