/**
 * Reading typed fields from the YAML tree the way Go's yaml.v3 decodes into Intercept's
 * structs: a null is the zero value, any scalar reads into a string field as its text, and a
 * mapping or list where a scalar belongs is an error (Intercept refuses the file).
 */
import type { DiagnosticSink } from "../diagnostics.js";
import { unknownKeyMessage } from "../../suggest.js";
import { describeNode, setOwn, type YEntry, type YMap, type YNode, type YScalar, type YSeq } from "../../yaml-source.js";
import type { GoTime } from "../gofmt.js";
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
 * A plain scalar as Go's yaml.v3 reads it into an `any`, where that differs from the YAML 1.2
 * core schema: a date or time (`2026-01-31`: a Go time.Time), underscores in numbers
 * (`1_000`), `0b101`, and a leading zero meaning octal (`0755` is 493). Everything else reads
 * the same in both.
 */
export function goScalar(node: YNode & { kind: "scalar" }): YScalar["value"] | GoTime {
  // yaml.v3 (resolve.go) reads a time from an untagged plain scalar before trying a number, and
  // from any scalar tagged !!timestamp.
  const time = node.tag === TIMESTAMP_TAG || (node.style === "plain" && node.tag === undefined) ? goTimestamp(node.text) : undefined;
  if (time) return time;
  if (node.style !== "plain") return node.value;
  const plain = node.text.replace(/_/g, "");
  const m = /^([-+]?)(?:0b([01]+)|0o?([0-7]+))$/i.exec(plain);
  if (m && (node.text.includes("_") || m[2] !== undefined || /^[-+]?0[0-7]/.test(plain))) {
    const value = m[2] !== undefined ? BigInt(`0b${m[2]}`) : BigInt(`0o${m[3] ?? "0"}`);
    return m[1] === "-" ? -value : value;
  }
  if (node.text.includes("_") && /^[-+]?[0-9][0-9_]*$/.test(node.text)) return BigInt(plain.replace(/^\+/, ""));
  // `08`: not octal, so yaml.v3 falls back to reading it as a float.
  if (/^[-+]?0[0-9]*[89][0-9]*$/.test(plain)) return Number(plain);
  // `1e400`: out of float64's range, strconv.ParseFloat fails and yaml.v3 keeps the text.
  // (`.inf` and `.nan` are floats in both.)
  if ((node.value === Infinity || node.value === -Infinity) && !/^[-+]?\.inf$/i.test(node.text)) return node.text;
  return node.value;
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
