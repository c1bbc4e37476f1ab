/**
 * Go's view of decoded JSON/YAML values, so that comparisons print and convert values exactly
 * as Intercept (Go) does.
 *
 * How Go values are represented here (the loader and the engine both follow this):
 * - a JS `number` is a Go float64 (every JSON number; a YAML float such as `5.0` or `1e6`);
 * - a JS `bigint` is a Go integer from YAML (`5`): yaml.v3 gives `int` for values in int64
 *   range, `uint64` up to 2^64-1 (which Intercept's conv does not treat as a number), and a
 *   float64 beyond that. Use the `yaml` package's `intAsBigInt: true` to get this for free;
 * - `null`/`undefined` is nil, strings, booleans, arrays (`[]any`) and plain objects
 *   (`map[string]any`) are themselves;
 * - a GoTime is a YAML timestamp, a Go time.Time (go-time.ts).
 */

/**
 * A Go time.Time read from YAML: `%v` prints `text` (time.Time.String); JSON, and so a fuzzed
 * argument or a report, gets the text as written, which is all a JSON argument could be.
 */
export class GoTime {
  constructor(
    /** As written in the policy, e.g. 2026-01-31. */
    readonly source: string,
    /** As Go prints it, e.g. 2026-01-31 00:00:00 +0000 UTC. */
    readonly text: string,
  ) {}

  toJSON(): string {
    return this.source;
  }

  toString(): string {
    return this.source;
  }
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

/** Go int (int64 range) held as a bigint. */
export function isGoInt(b: bigint): boolean {
  return b >= INT64_MIN && b <= INT64_MAX;
}

/** A YAML integer beyond uint64 becomes a float64 in yaml.v3. */
function bigintIsFloat(b: bigint): boolean {
  return b < INT64_MIN || b > UINT64_MAX;
}

/**
 * Intercept's `conv.ToFloat64`: float64 and int convert, everything else (strings, bools,
 * uint64, nil, lists, maps) is not a number. Returns undefined for "not a number".
 */
export function goFloat(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return isGoInt(v) || bigintIsFloat(v) ? Number(v) : undefined;
  return undefined;
}

const TWO_63 = 2 ** 63;

/**
 * Go's `int64(f)` of a float64 as on amd64 (where Intercept ships): truncation toward zero,
 * and NaN or a value outside int64 gives -2^63.
 */
export function goInt64OfFloat(f: number): bigint {
  return f >= -TWO_63 && f < TWO_63 ? BigInt(Math.trunc(f)) : INT64_MIN;
}

/**
 * Go `%v` of a float64: strconv 'g' with the shortest digits that round-trip, switching to
 * exponent form when the decimal exponent is below -4 or at least 6 (Go fixes the switch
 * point at 6 for shortest formatting); the exponent has at least two digits.
 */
export function formatFloat(n: number): string {
  if (n !== n) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const abs = n < 0 ? -n : n;
  // Within [1e-4, 1e6) JS prints the same shortest digits without an exponent.
  if (abs >= 1e-4 && abs < 1e6) return String(n);
  const s = n.toExponential(); // shortest round-trip digits, e.g. "-1.234567e+6"
  const e = s.indexOf("e");
  const sign = s.charCodeAt(e + 1) === 45 /* - */ ? "-" : "+";
  const digits = s.slice(e + 2);
  return `${s.slice(0, e)}e${sign}${digits.length < 2 ? "0" + digits : digits}`;
}

/** Go `%v` of a YAML integer held as a bigint (int, uint64 or, beyond, float64). */
function formatBigint(b: bigint): string {
  return bigintIsFloat(b) ? formatFloat(Number(b)) : b.toString();
}

/** Go's map key order: byte order of UTF-8, which is code point order (not UTF-16 order). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Go `fmt.Sprintf("%v", v)` of a decoded JSON/YAML value. */
export function formatGo(v: unknown): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return formatFloat(v);
    case "bigint":
      return formatBigint(v);
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "<nil>";
    case "object": {
      if (v === null) return "<nil>";
      if (Array.isArray(v)) return "[" + v.map(formatGo).join(" ") + "]";
      if (v instanceof GoTime) return v.text;
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort(compareCodePoints);
      return "map[" + keys.map((k) => `${k}:${formatGo(o[k])}`).join(" ") + "]";
    }
    default:
      // Functions and symbols never come out of JSON or YAML; print something stable.
      return String(v);
  }
}

/** Go `%q` of a string (strconv.Quote): what Intercept's messages put around names. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (c) {
      case 0x07: out += "\\a"; continue;
      case 0x08: out += "\\b"; continue;
      case 0x0c: out += "\\f"; continue;
      case 0x0a: out += "\\n"; continue;
      case 0x0d: out += "\\r"; continue;
      case 0x09: out += "\\t"; continue;
      case 0x0b: out += "\\v"; continue;
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += "\\\\"; continue;
    }
    if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    // Printable ASCII needs no look at the Unicode tables (compiling PRINTABLE costs ~2 ms).
    else if (c < 0x7f) out += ch;
    // A lone surrogate cannot reach Go (its JSON decoder turns it into U+FFFD).
    else if (c >= 0xd800 && c <= 0xdfff) out += "\ufffd";
    else if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x10000) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += "\\U" + c.toString(16).padStart(8, "0");
  }
  return out + '"';
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
