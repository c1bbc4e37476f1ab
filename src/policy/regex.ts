/**
 * Go RE2 patterns, as Intercept compiles them (`regexp.Compile`): compiled with re2js, a port
 * of Go's regexp, so what compiles and what matches is Go's, not JavaScript's.
 */
import { createRequire } from "node:module";
import type * as Re2js from "re2js";
import type { Matcher } from "./model.js";

let re2js: typeof Re2js | undefined;

/**
 * re2js (270 KB of JavaScript) is required on the first pattern, not imported: none of the 53
 * real Intercept policies of the corpus has a regex, and loading it cost every run ~8 ms.
 */
function engine(): typeof Re2js.RE2JS {
  re2js ??= createRequire(import.meta.url)("re2js") as typeof Re2js;
  return re2js.RE2JS;
}

export type CompiledPattern = { ok: true; matcher: Matcher } | { ok: false; error: string };

/** Compiles a Go RE2 pattern to an unanchored search, or Go's own error text. */
export function compileGoRegex(source: string): CompiledPattern {
  const literal = literalMatcher(source);
  if (literal) return { ok: true, matcher: literal };
  try {
    const re = engine().compile(source);
    return { ok: true, matcher: { source, test: (text: string) => re.test(text) } };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Go's punctuation escapes (`\\.` is a dot): any ASCII punctuation after a backslash stands for itself. */
const ESCAPED_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const META = new Set([..."\\.+*?()|[]{}^$"]);

/**
 * A pattern that is printable ASCII text, with `\\` before any punctuation, an optional `^` first
 * and an optional `$` last (without the m flag, both anchor the whole text in Go), matched as
 * text without loading re2js: `^/srv/` is a startsWith. ASCII only, so a match never splits a
 * character. Undefined for anything else, which re2js compiles.
 */
function literalMatcher(source: string): Matcher | undefined {
  const anchoredStart = source.startsWith("^");
  const end = source.length;
  let text = "";
  let anchoredEnd = false;
  for (let i = anchoredStart ? 1 : 0; i < end; i++) {
    const ch = source[i]!;
    if (ch < " " || ch > "~") return undefined;
    if (ch === "\\") {
      const next = source[i + 1];
      if (next === undefined || !ESCAPED_PUNCTUATION.test(next)) return undefined;
      text += next;
      i++;
    } else if (ch === "$" && i === end - 1) {
      anchoredEnd = true;
    } else if (META.has(ch)) {
      return undefined;
    } else {
      text += ch;
    }
  }
  const test = anchoredStart
    ? anchoredEnd ? (s: string) => s === text : (s: string) => s.startsWith(text)
    : anchoredEnd ? (s: string) => s.endsWith(text) : (s: string) => s.includes(text);
  return { source, test };
}

/**
 * Why this pattern would behave differently in a JavaScript RegExp (the engine most people
 * try their patterns in), or null when we see no difference. A heuristic, not a proof:
 * - JavaScript cannot compile it at all (without flags);
 * - inline flags `(?i)` `(?s)` `(?m)` `(?U)` and `(?flags:...)` (JavaScript has none in Node 20);
 * - `\A` `\z` (JavaScript reads them as the letters A and z), `\Q...\E` quoting,
 *   POSIX classes `[[:alpha:]]`, `\C`, one-letter Unicode classes `\pN`, `\p{...}`
 *   (JavaScript needs the `u` flag and other names), `\x{41}` braces.
 * Not reported: `$` (end of text in both without the m flag), `\s` (Go: ASCII whitespace
 * only; JavaScript adds \v and Unicode spaces) and `.` (JavaScript also stops at \r, U+2028,
 * U+2029): they differ only on rare characters and would make the warning noise.
 */
export function jsRegexDifference(source: string): string | null {
  if (/\(\?[imsU-]+[:)]/.test(source)) return "it uses inline flags like (?i), which JavaScript does not have";
  const escapes = escapedLetters(source);
  if (escapes.has("A") || escapes.has("z")) return "\\A and \\z anchor the text in Go but are plain letters in JavaScript";
  if (escapes.has("Q")) return "\\Q...\\E quotes text in Go but not in JavaScript";
  if (escapes.has("C")) return "\\C has no meaning in JavaScript";
  if (escapes.has("p") || escapes.has("P")) return "Unicode classes (\\pN, \\p{Greek}) need other syntax and the u flag in JavaScript";
  if (/\\x\{/.test(source)) return "\\x{...} is a code point in Go but not in JavaScript";
  if (/\[\[:\^?[a-z]+:\]/.test(source)) return "POSIX classes like [[:alpha:]] exist in Go but not in JavaScript";
  try {
    new RegExp(source);
  } catch {
    return "JavaScript's RegExp cannot compile it";
  }
  return null;
}

/** The letters that follow a backslash, skipping escaped backslashes. */
function escapedLetters(source: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < source.length; i++) {
    if (source[i] === "\\" && i + 1 < source.length) {
      out.add(source[i + 1] as string);
      i++;
    }
  }
  return out;
}
