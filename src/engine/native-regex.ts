/**
 * A speed-up, not a semantics: the pure-JS RE2 port costs about half a microsecond a match,
 * V8's native RegExp a tenth of that. For patterns built only from constructs whose meaning is
 * the same in RE2 and in a JS `u`-mode RegExp (after the rewrites below), the engine matches
 * with a native RegExp; anything else (flags, Unicode classes, POSIX classes, \Q..\E, hex
 * escapes...) stays with the RE2 matcher. Only used for patterns RE2 already compiled.
 *
 * Rewrites: `.` -> `[^\n]` (RE2's dot), `\s` -> `[\t\n\f\r ]` (RE2's \s is ASCII),
 * `\d` / `\w` -> explicit ASCII classes, `\A` / `\z` -> `^` / `$` (no `m` flag, so JS `$` is
 * the end of input like RE2's), named groups -> non-capturing groups.
 */
import { boundedQuantifiers, nativeTextLimit } from "./backtrack-bound.js";

const SYNTAX = new Set([..."^$\\.*+?()[]{}|/"]);
const PERL: Record<string, [string, string]> = {
  d: ["0-9", "[0-9]"],
  w: ["0-9A-Za-z_", "[0-9A-Za-z_]"],
  s: ["\\t\\n\\f\\r ", "[\\t\\n\\f\\r ]"],
};
const PERL_NEGATED: Record<string, string> = { D: "[^0-9]", W: "[^0-9A-Za-z_]", S: "[^\\t\\n\\f\\r ]" };
const CONTROL: Record<string, string> = { n: "\\n", t: "\\t", r: "\\r", f: "\\f", v: "\\v" };

function isPunct(c: string): boolean {
  return c.length === 1 && c >= "!" && c <= "~" && !/[0-9A-Za-z]/.test(c);
}

function literal(c: string): string {
  return SYNTAX.has(c) ? "\\" + c : c;
}

/** The JS source for an RE2 pattern in the shared subset, or undefined. */
export function translateRe2(pattern: string): string | undefined {
  const chars = [...pattern];
  let out = "";
  let i = 0;
  const n = chars.length;
  while (i < n) {
    const c = chars[i]!;
    if (c === "\\") {
      const e = chars[i + 1];
      if (e === undefined) return undefined;
      i += 2;
      if (PERL[e]) out += PERL[e][1];
      else if (PERL_NEGATED[e]) out += PERL_NEGATED[e];
      else if (CONTROL[e]) out += CONTROL[e];
      else if (e === "b" || e === "B") out += "\\" + e;
      else if (e === "A") out += "^";
      else if (e === "z") out += "$";
      else if (isPunct(e)) out += literal(e);
      else return undefined;
      continue;
    }
    if (c === "[") {
      const r = translateClass(chars, i);
      if (r === undefined) return undefined;
      out += r.source;
      i = r.next;
      continue;
    }
    if (c === "(") {
      if (chars[i + 1] !== "?") {
        out += "(";
        i++;
        continue;
      }
      if (chars[i + 2] === ":") {
        out += "(?:";
        i += 3;
        continue;
      }
      // Named groups (?P<name>..) and (?<name>..): the name does not change what matches.
      const start = chars[i + 2] === "P" ? i + 3 : i + 2;
      if (chars[start] !== "<") return undefined;
      const close = chars.indexOf(">", start);
      if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(chars.slice(start + 1, close).join(""))) return undefined;
      out += "(?:";
      i = close + 1;
      continue;
    }
    if (c === "{") {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(chars.slice(i, i + 12).join(""));
      // RE2 reads a `{` that is not a repeat as a literal; JS u-mode refuses it.
      if (!m) return undefined;
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (c === ".") out += "[^\\n]";
    else if (c === "]" || c === "}") out += "\\" + c;
    else if ("^$*+?)|".includes(c)) out += c;
    else out += literal(c);
    i++;
  }
  return out;
}

/** `[...]` from index `at` (the `[`): literal members, ranges and \d \w \s only. */
function translateClass(chars: string[], at: number): { source: string; next: number } | undefined {
  let i = at + 1;
  let out = "[";
  if (chars[i] === "^") {
    out += "^";
    i++;
  }
  // A `]` first is a member in RE2 but an empty class in JS; `[:alpha:]` is POSIX in RE2.
  if (chars[i] === "]") return undefined;
  let members = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === "]") return members > 0 ? { source: out + "]", next: i + 1 } : undefined;
    if (c === "[") return undefined;
    if (c === "\\") {
      const e = chars[i + 1];
      if (e === undefined) return undefined;
      if (PERL[e]) out += PERL[e][0];
      else if (CONTROL[e]) out += CONTROL[e];
      // u-mode only lets syntax characters and `-` be escaped inside a class.
      else if (isPunct(e)) out += SYNTAX.has(e) || e === "-" ? "\\" + e : e;
      else return undefined;
      // An escaped member starting a range (`[\.-z]`): leave it to RE2.
      if (chars[i + 2] === "-" && chars[i + 3] !== "]") return undefined;
      i += 2;
    } else {
      out += c === "-" || c === "^" ? "\\" + c : c;
      // A range a-z: keep the dash between two members.
      if (chars[i + 1] === "-" && chars[i + 2] !== undefined && chars[i + 2] !== "]") {
        const hi = chars[i + 2]!;
        if (hi === "\\" || hi === "[") return undefined;
        out += "-" + hi;
        i += 3;
        members++;
        continue;
      }
      i++;
    }
    members++;
  }
  return undefined;
}

/** A native test, and the longest text it may be given (longer ones go to RE2). */
export type NativeTest = ((text: string) => boolean) & { maxText: number };

/** A native test for `pattern` when it is in the shared subset, else undefined. */
export function nativeMatcher(pattern: string): NativeTest | undefined {
  const source = translateRe2(pattern);
  if (source === undefined) return undefined;
  // Patterns V8 could backtrack on for long stay with RE2 (see backtrack-bound.ts).
  const quantifiers = boundedQuantifiers(source);
  if (quantifiers === undefined) return undefined;
  let re: RegExp;
  try {
    re = new RegExp(source, "u");
  } catch {
    return undefined;
  }
  return Object.assign((text: string) => re.test(text), { maxText: nativeTextLimit(quantifiers) });
}
