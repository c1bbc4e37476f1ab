/** Intercept conditions: `{path, op, value}` items, validated as its validate.go does. */
import type { DiagnosticSink } from "../diagnostics.js";
import { GoTime, goFloat, isGoInt } from "../gofmt.js";
import { OPS, type Condition, type Op } from "../model.js";
import { compileGoRegex, jsRegexDifference } from "../regex.js";
import { nearest } from "../../suggest.js";
import { describeNode, type YNode, type YSeq } from "../../yaml-source.js";
import { asMap, asString, checkKeys, field, goPlain, goScalar } from "./fields.js";

const CONDITION_KEYS = ["path", "op", "value"] as const;
const NUMERIC_OPS: readonly string[] = ["lt", "lte", "gt", "gte"];
const LIST_OPS: readonly string[] = ["in", "not_in"];
/** The operators that compare with a value of any type, by Go's `%v` text when not numbers. */
const EQUALITY_OPS: readonly string[] = ["eq", "neq", "in", "not_in", "contains"];

export const CONDITION_EXAMPLE = "`{path: args.amount, op: lte, value: 100}`";

export function compileConditions(seq: YSeq, where: string, sink: DiagnosticSink): Condition[] {
  const out: Condition[] = [];
  seq.items.forEach((item, j) => {
    const c = compileCondition(item, `${where}.conditions[${j}]`, sink);
    if (c) out.push(c);
  });
  return out;
}

/** One condition item; exported for the PolicyLayer dialect, which shares these checks. */
export function compileCondition(node: YNode, where: string, sink: DiagnosticSink): Condition | null {
  const map = asMap(node, `condition ${where}`, sink, CONDITION_EXAMPLE);
  if (!map) {
    if (node.kind === "scalar" && node.value === null) sink.error(node.at, `condition ${where} is empty; write ${CONDITION_EXAMPLE}`);
    return null;
  }
  checkKeys(map, CONDITION_KEYS, `condition ${where}`, sink);
  const pathEntry = field(map, "path");
  const opEntry = field(map, "op");
  const valueNode = field(map, "value")?.value;
  const path = asString(pathEntry?.value, "condition `path`", sink);
  const op = asString(opEntry?.value, "condition `op`", sink);
  const pathAt = pathEntry?.value.at ?? map.at;
  const opAt = opEntry?.value.at ?? map.at;
  let ok = path !== undefined && op !== undefined;

  if (path !== undefined && !path.startsWith("args.") && !path.startsWith("state.")) {
    sink.error(pathAt, `${where}: path must start with "args." or "state.", got "${path}"; write args.<argument> or state.<tool>.<counter>`);
    ok = false;
  }
  if (path !== undefined && path.startsWith("state.") && path.split(".").length < 3) {
    sink.warning(pathAt, `${where}: path "${path}" names no counter: Intercept reads it as a counter that is never set, so it is always 0; write state.<tool>.<counter>`);
  }
  if (op !== undefined && !(OPS as readonly string[]).includes(op)) {
    const guess = nearest(op, OPS);
    sink.error(opAt, `${where}: unknown operator "${op}"; ${guess ? `did you mean "${guess}"? ` : ""}use one of ${OPS.join(", ")}`);
    ok = false;
  }
  const valueAt = valueNode?.at ?? map.at;
  const value = valueNode === undefined ? null : goPlain(valueNode);
  const described = valueNode === undefined ? "no value" : value instanceof GoTime ? `the date ${value.source} (a Go time.Time: quoted, it is text)` : describeNode(valueNode);
  if (op !== undefined && LIST_OPS.includes(op) && valueNode?.kind !== "seq") {
    sink.error(valueAt, `${where}: operator "${op}" requires a list value, got ${described}; write value: [a, b]`);
    ok = false;
  }
  if (op !== undefined && NUMERIC_OPS.includes(op) && goFloat(value) === undefined) {
    const hint = typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) ? ` write ${value} without quotes` : " write a number like 100 (at most about 1.8e308)";
    sink.error(valueAt, `${where}: operator "${op}" requires a numeric value, got ${described};${hint}`);
    ok = false;
  }
  if (op === "exists" && typeof value !== "boolean") {
    sink.error(valueAt, `${where}: operator "exists" requires a boolean value, got ${described}; write value: true or value: false`);
    ok = false;
  }
  let matcher: Condition["matcher"];
  if (op === "regex") {
    if (typeof value !== "string") {
      sink.error(valueAt, `${where}: regex value must be a string, got ${described}; quote the pattern, e.g. value: "^[a-z]+$"`);
      ok = false;
    } else {
      const compiled = compileGoRegex(value);
      if (!compiled.ok) {
        sink.error(valueAt, `${where}: invalid regex "${value}": ${compiled.error}; write Go RE2 syntax (no backreferences or lookaround)`);
        ok = false;
      } else {
        matcher = compiled.matcher;
        const differs = jsRegexDifference(value);
        if (differs) sink.warning(valueAt, `${where}: regex "${value}" behaves differently in JavaScript: ${differs}; the gateway uses Go RE2, so test it with Go syntax`);
      }
    }
  }
  if (valueNode) warnLossyNumbers(valueNode, where, sink);
  if (valueNode && op !== undefined && EQUALITY_OPS.includes(op)) warnDates(valueNode, where, sink);
  if (!ok || path === undefined || op === undefined) return null;
  const cond: Condition = { path, segments: path.split("."), op: op as Op, value, pos: { file: sink.file, ...map.at } };
  if (matcher) cond.matcher = matcher;
  return cond;
}

/**
 * An unquoted date or time is a Go time.Time to Intercept (go-time.ts), which equals no JSON
 * argument: `eq`, `in` and `contains` never match it, `neq` and `not_in` always do.
 */
function warnDates(node: YNode, where: string, sink: DiagnosticSink): void {
  if (node.kind === "seq") node.items.forEach((n) => warnDates(n, where, sink));
  else if (node.kind === "scalar") {
    const v = goScalar(node);
    if (v instanceof GoTime) {
      sink.warning(node.at, `${where}: ${node.text} is a date to Intercept (Go's yaml.v3 reads an unquoted date or time as a time.Time, compared as "${v.text}"), so no argument ever equals it; quote it, "${node.text}", to compare the text`);
    }
  }
}

/** Integers past 2^53 are not exact here (nor in Go once compared with a JSON argument). */
export function warnLossyNumbers(node: YNode, where: string, sink: DiagnosticSink): void {
  if (node.kind === "seq") node.items.forEach((n) => warnLossyNumbers(n, where, sink));
  else if (node.kind === "map") node.entries.forEach((e) => warnLossyNumbers(e.value, where, sink));
  else {
    const v = goScalar(node);
    if (typeof v !== "bigint") return;
    if (!isGoInt(v)) {
      sink.warning(node.at, `${where}: number ${node.text} is outside Go's int64, so Intercept reads it as an unsigned or float value that its number comparisons do not treat as this integer; use a smaller number, or a quoted string for an id`);
    } else if (v > 2n ** 53n || v < -(2n ** 53n)) {
      sink.warning(node.at, `${where}: number ${node.text} is larger than 2^53, so comparing it with a JSON argument (a float64) loses precision (it becomes ${Number(v)}); use a smaller number, or a quoted string for an id`);
    }
  }
}
