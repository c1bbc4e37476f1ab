/**
 * A failed expectation in words, shared by every test report format: where the expectation
 * is, what differs, the call it was about, and what the deciding rule saw.
 */
import type { CounterReading } from "../engine/types.js";
import type { DecidedCall } from "../replay/types.js";
import { quoted } from "../scenario/expect.js";
import type { At, CallCheck, Failure, ScenarioResult, SummaryKey, TestRun } from "../scenario/types.js";
import { passed } from "../scenario/types.js";
import { iso } from "./replay-renderer.js";
import { clip } from "./table.js";

const ARGS_SHOWN = 200;

export function place(at: At): string {
  return `${at.file}:${at.line}:${at.col}`;
}

/** `file:line:col: call 6 (create_issue): decision: expected throttle, got allow` */
export function failureHeadline(f: Failure): string {
  return `${place(f.at)}: ${f.subject}: ${f.message}`;
}

/** The lines under the headline: the call, expected, actual, counters. */
export function failureDetails(f: Failure): string[] {
  const lines: string[] = [];
  if (f.call) lines.push(`call:     ${describeCall(f.call.index, f.call.decided)}`);
  if (f.counts) lines.push(`expected: ${counts(f.counts.expected)}`, `actual:   ${counts(f.counts.actual)}`);
  if (f.expected) lines.push(`expected: ${describeCheck(f.expected)}`);
  if (f.call) {
    const d = f.call.decided.decision;
    lines.push(`actual:   decision ${d.decision}, rule ${quoted(d.rule)}, message ${quoted(d.message)}`);
    lines.push(`counters: ${describeCounters(d.counters, f.call.decided)}`);
  }
  return lines;
}

export function describeCall(index: number, c: DecidedCall): string {
  return `#${index} ${c.tool} ${clip(JSON.stringify(c.args) ?? "null", ARGS_SHOWN)} at ${iso(c.t)}, session ${c.session}${c.identity ? `, identity ${c.identity}` : ""} (${c.tape}:${c.line})`;
}

function describeCheck(check: CallCheck): string {
  const parts: string[] = [];
  if (check.decision !== undefined) parts.push(`decision ${check.decision}`);
  if (check.rule !== undefined) parts.push(`rule ${quoted(check.rule)}`);
  if (check.message !== undefined) parts.push(`message ${quoted(check.message)}`);
  return parts.join(", ");
}

/** What the deciding rule read; an allowed call shows what it reserved instead. */
function describeCounters(readings: readonly CounterReading[], c: DecidedCall): string {
  if (readings.length > 0) {
    return readings.map((r) => `${r.key} = ${r.value}${r.limit !== undefined ? ` (limit ${r.limit})` : ""}`).join(", ");
  }
  const taken = c.decision.reservations;
  if (taken.length > 0) return `none read; reserved ${taken.map((r) => `${r.amount} of ${r.key}`).join(", ")}`;
  return "none";
}

function counts(c: Partial<Record<SummaryKey, number>>): string {
  return Object.entries(c).map(([k, v]) => `${k} ${v}`).join(", ");
}

export interface RunCounts {
  scenarios: number;
  passed: number;
  failed: number;
  checks: number;
  failures: number;
  /** Test cases that could not run. */
  errored: number;
}

export function runCounts(run: TestRun): RunCounts {
  const failed = run.results.filter((r) => !passed(r)).length;
  return {
    scenarios: run.results.length,
    passed: run.results.length - failed,
    failed,
    checks: run.results.reduce((n, r) => n + r.checks, 0),
    failures: run.results.reduce((n, r) => n + r.failures.length, 0),
    errored: run.errored.length,
  };
}

/** `12 scenarios: 11 passed, 1 failed (40 checks, 2 failed); 1 errored (could not run)` */
export function runHeadline(run: TestRun): string {
  const c = runCounts(run);
  const s = `${c.scenarios} scenario${c.scenarios === 1 ? "" : "s"}: ${c.passed} passed, ${c.failed} failed`;
  const errored = c.errored > 0 ? `; ${c.errored} errored (could not run)` : "";
  return `${s} (${c.checks} check${c.checks === 1 ? "" : "s"}${c.failures > 0 ? `, ${c.failures} failed` : ""})${errored}`;
}

/** Whether the run is red: a failed scenario or an errored case. */
export function runFailed(c: RunCounts): boolean {
  return c.failed > 0 || c.errored > 0;
}

export function scenarioPlace(r: ScenarioResult): string {
  return `${r.scenario.at.file}:${r.scenario.at.line}`;
}
