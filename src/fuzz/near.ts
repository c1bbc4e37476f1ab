/**
 * Values near a policy's own values: the boundary cases a rule's author most often misses.
 * Numbers at and around a threshold, list members with their case or spacing changed, and
 * strings one edit away from a pattern, with the path tricks that slip past prefix checks.
 */
import fc from "fast-check";
import { GoTime, formatGo, goFloat } from "../policy/gofmt.js";

/** Edits that turn an allowed-looking string into one a naive rule lets through. */
const STRING_TRICKS: readonly ((s: string) => string)[] = [
  (s) => s,
  (s) => s + "/../etc/passwd",
  (s) => s + "/..",
  (s) => s + "..",
  (s) => "../" + s,
  (s) => s.replace(/\//g, "/./"),
  (s) => s + "%2e%2e/",
  (s) => s + "..%2f",
  (s) => s + "\uFF0E\uFF0E/",
  (s) => s + "\u2024\u2024/",
  (s) => s.toUpperCase(),
  (s) => s.toLowerCase(),
  (s) => s.charAt(0).toUpperCase() + s.slice(1),
  (s) => " " + s,
  (s) => s + " ",
  (s) => s + "\u0000",
  (s) => s + "\u0000.txt",
  (s) => s + "\n",
];

const EDIT_CHARS = ["a", "Z", "0", "9", "/", ".", "-", "_", " ", "\u0000", "\u00e9", "\uFF0E", "!", "\\"];

/** One character inserted, deleted or replaced somewhere. */
function oneEdit(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(base, fc.nat(), fc.constantFrom(0, 1, 2), fc.constantFrom(...EDIT_CHARS)).map(([s, at, kind, ch]) => {
    const i = s.length === 0 ? 0 : at % (s.length + (kind === 0 ? 1 : 0));
    if (kind === 0) return s.slice(0, i) + ch + s.slice(i);
    if (s.length === 0) return ch;
    if (kind === 1) return s.slice(0, i) + s.slice(i + 1);
    return s.slice(0, i) + ch + s.slice(i + 1);
  });
}

/** Strings near the given ones: themselves, one edit away, and with a trick applied. */
export function nearStrings(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const tricked = fc.tuple(base, fc.nat(STRING_TRICKS.length - 1)).map(([s, k]) => STRING_TRICKS[k]!(s));
  return fc.oneof(base, tricked, oneEdit(base), oneEdit(tricked));
}

/** Strings matching a Go pattern when JavaScript can read it, else none. */
export function matchingStrings(source: string, maxLength = 64): fc.Arbitrary<string> | undefined {
  // Leading inline flags are Go-only; without them the samples still match (or come near).
  const stripped = source.replace(/^\(\?[imsU]+\)/, "");
  try {
    return fc.stringMatching(new RegExp(stripped), { maxLength });
  } catch {
    return undefined;
  }
}

/**
 * Literal runs of a pattern (`^/srv/` gives `/srv/`): a fallback base when JavaScript cannot
 * read the pattern, and a second base that is already close to matching.
 */
export function patternLiterals(source: string): string[] {
  const out = source
    .replace(/\\(.)/g, "$1")
    .split(/[\^$()[\]{}|*+?]+/)
    .filter((s) => s.length > 0 && !s.includes("."));
  return out.length > 0 ? out : [""];
}

/** Numbers at and around a threshold, and the same as strings (a numeric string is no number to Go). */
export function nearNumbers(n: number): unknown[] {
  const around = [n - 1, n, n + 1, n - 0.5, n + 0.5, -n, n * 10, n / 10];
  const out: unknown[] = [...around];
  for (const v of [n - 1, n, n + 1]) out.push(String(v), formatGo(v), ` ${v}`);
  return out;
}

/** A list member or an `eq` value, and the ways the same thing arrives looking different. */
export function nearValues(v: unknown): unknown[] {
  const out: unknown[] = [v];
  const num = goFloat(v);
  if (typeof v === "bigint") out.push(Number(v), String(v));
  if (num !== undefined) out.push(...nearNumbers(num), formatGo(num));
  if (typeof v === "string") {
    out.push(v.toUpperCase(), v.toLowerCase(), v.charAt(0).toUpperCase() + v.slice(1), ` ${v}`, `${v} `, `${v}\u0000`);
    const asNumber = Number(v);
    if (v.trim() !== "" && Number.isFinite(asNumber)) out.push(asNumber, -asNumber);
    out.push([v], { value: v });
  }
  if (typeof v === "boolean") out.push(String(v), v ? 1 : 0, !v);
  // A date in the policy (a Go time.Time) equals only an argument that is its Go text.
  if (v instanceof GoTime) out.push(v.source, v.text);
  return out;
}

/** Values of the wrong type where a scalar is expected. */
export const CONFUSING: readonly unknown[] = [null, "", [], {}, true, false, 0, -1, "null", "true", [""], { "": "" }];
