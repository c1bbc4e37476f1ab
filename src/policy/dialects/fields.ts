/**
 * Reading typed fields from the YAML tree the way Go's yaml.v3 decodes into Intercept's
 * structs: a null is the zero value, any scalar reads into a string field as its text, and a
 * mapping or list where a scalar belongs is an error (Intercept refuses the file).
 */
import type { DiagnosticSink } from "../diagnostics.js";
import { unknownKeyMessage } from "../../suggest.js";
import { describeNode, setOwn, type YEntry, type YMap, type YNode, type YScalar, type YSeq } from "../../yaml-source.js";
import { INT64_MIN, UINT64_MAX, isGoInt, type GoTime } from "../gofmt.js";
import { goTimestamp } from "../go-time.js";

const TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp";

export function field(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((e) => e.keyText === key);
}

export function isNull(node: YNode | undefined): boolean {
  return node === undefined || (node.kind === "scalar" && node.value === null);
}

/** A mapping, or null when absent/null; an error (and null) for anything else. */
export function asMap(node: YNode | undefined, what: string, sink: DiagnosticSink, example: string): YMap | null {
  if (isNull(node) || node === undefined) return null;
  if (node.kind === "map") return node;
  sink.error(node.at, `${what} must be a mapping, not ${describeNode(node)}; write for example ${example}`);
  return null;
}

export function asSeq(node: YNode | undefined, what: string, sink: DiagnosticSink, example: string): YSeq | null {
  if (isNull(node) || node === undefined) return null;
  if (node.kind === "seq") return node;
  sink.error(node.at, `${what} must be a list, not ${describeNode(node)}; write for example ${example}`);
  return null;
}

/** Go string field: scalar text, "" when absent or null, undefined (after an error) for a mapping or list. */
export function asString(node: YNode | undefined, what: string, sink: DiagnosticSink): string | undefined {
  if (node === undefined) return "";
  if (node.kind === "scalar") return node.value === null ? "" : node.text;
  sink.error(node.at, `${what} must be a single value, not ${describeNode(node)}`);
  return undefined;
}

/**
 * The keys of a mapping Intercept decodes into a struct: an unknown one is ignored (a warning),
 * but a mapping or list as a key is an error, as yaml.v3 cannot read it into the field name
 * (decode.go, mappingStruct: the key is unmarshalled into a string, a type error that
 * yaml.Unmarshal returns, and Intercept's config.Load refuses the file with it).
 */
export function checkKeys(map: YMap, known: readonly string[], where: string, sink: DiagnosticSink): void {
  for (const e of map.entries) {
    if (e.key.kind !== "scalar") sink.error(e.key.at, `a key in ${where} must be a single value, not ${describeNode(e.key)}: Intercept cannot read it as a field name and refuses the file`);
    else if (!known.includes(e.keyText)) sink.warning(e.key.at, unknownKeyMessage(e.keyText, known, where));
  }
}

/**
 * A scalar as Go's yaml.v3 (v3.0.1, resolve.go) reads it into an `any`, where that differs
 * from the YAML 1.2 core schema: a date or time (`2026-01-31`: a Go time.Time), and numbers as
 * Go's strconv reads them once every underscore is dropped (`1_000`, `0X1F`, `-0x10`, `0b101`,
 * `0755` octal, `08` a float, `1e400` text). Everything else reads the same in both.
 */
export function goScalar(node: YNode & { kind: "scalar" }): YScalar["value"] | GoTime {
  // A time from an untagged plain scalar before a number, and from any scalar tagged !!timestamp.
  const time = node.tag === TIMESTAMP_TAG || (node.style === "plain" && node.tag === undefined) ? goTimestamp(node.text) : undefined;
  if (time) return time;
  if (node.style !== "plain" || node.tag !== undefined) return node.value;
  // yaml.v3 tries numbers on text that starts with a digit or a sign (its hints D and S), after
  // its table of words (the signed .inf spellings, read alike by both).
  const first = node.text.charCodeAt(0);
  const digitOrSign = (first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d;
  if (!digitOrSign || /^[-+]\.(?:inf|Inf|INF)$/.test(node.text)) return node.value;
  // A float the core schema read (and every JSON number of a PolicyLayer file) is the same
  // float64 to Go, but past its range, where strconv fails and the text stays.
  if (typeof node.value === "number") return Number.isFinite(node.value) ? node.value : node.text;
  return goNumber(node.text.replace(/_/g, "")) ?? node.text;
}

/** resolve.go's yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * strconv.ParseInt(s, 0, 64), else ParseUint(s, 0, 64) (no sign), else a yamlStyleFloat that
 * strconv.ParseFloat takes (in float64's range); undefined for none of them.
 */
function goNumber(s: string): bigint | number | undefined {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|0([0-7]*)|([1-9][0-9]*))$/.exec(s);
  if (m) {
    const magnitude = m[2] !== undefined ? BigInt(`0x${m[2]}`)
      : m[3] !== undefined ? BigInt(`0b${m[3]}`)
        : m[4] !== undefined ? BigInt(`0o${m[4]}`)
          : m[5] !== undefined ? (m[5] === "" ? 0n : BigInt(`0o${m[5]}`))
            : BigInt(m[6]!);
    const value = m[1] === "-" ? -magnitude : magnitude;
    if (isGoInt(value)) return value;
    if (m[1] === "" && value <= UINT64_MAX) return value;
    // Past Go's integers a decimal is a float64 (ParseFloat below); kept exact as a bigint,
    // which gofmt.ts takes as that float64, so that validate can name the number as written.
    if (m[6] !== undefined && (value > UINT64_MAX || value < INT64_MIN)) return value;
  }
  if (YAML_STYLE_FLOAT.test(s)) {
    const f = Number(s);
    if (Number.isFinite(f)) return f;
  }
  return undefined;
}

/** A node as the plain value Intercept's `value: any` holds. */
export function goPlain(node: YNode): unknown {
  switch (node.kind) {
    case "scalar":
      return goScalar(node);
    case "seq":
      return node.items.map(goPlain);
    case "map": {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) setOwn(out, e.keyText, goPlain(e.value));
      return out;
    }
  }
}
