/**
 * Where a JSON text stops being JSON, for the column of a line JSON.parse refused: V8 gives a
 * position for most syntax errors but not for an unexpected token (`hello`, `{"a": tru}`).
 * A flat loop over the shared scanner, so a deeply nested line cannot overflow the stack.
 */
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, JsonScanner, JsonSyntaxError, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "./scanner.js";

/** JSON.parse's complaint about `text` without V8's position, and the 1-based column it is at. */
export function refusedJson(err: unknown, text: string): { message: string; col: number } {
  const raw = err instanceof Error ? err.message : String(err);
  const pos = /at position (\d+)/.exec(raw);
  const message = raw.replace(/\s*in JSON at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)$/, "");
  // V8 gives a position for most syntax errors, but not for an unexpected token.
  return { message, col: (pos ? Number(pos[1]) : (syntaxErrorOffset(text) ?? 0)) + 1 };
}

/** The 0-based offset of the first character that is not JSON (text.length when it ends too soon), or undefined for valid JSON. */
export function syntaxErrorOffset(text: string): number | undefined {
  const s = new JsonScanner(text);
  const open: number[] = [];
  try {
    for (;;) {
      // A value starts here.
      const c = s.skipSpace();
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        s.pos++;
        if (!s.eat(c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
          open.push(c);
          if (c === OPEN_BRACE && !memberKey(s)) return s.pos;
          continue;
        }
      } else if (c === QUOTE) s.readString();
      else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) s.readNumber();
      else if (s.readWord() === undefined) return s.pos + wordPrefix(text, s.pos);
      // After a value: close what it ends, or go on after a comma.
      for (;;) {
        const top = open[open.length - 1];
        const next = s.skipSpace();
        if (top === undefined) return next === -1 ? undefined : s.pos;
        if (next === (top === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
          s.pos++;
          open.pop();
          continue;
        }
        if (next !== COMMA) return s.pos;
        s.pos++;
        if (top === OPEN_BRACE && !memberKey(s)) return s.pos;
        break;
      }
    }
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err.offset;
    throw err;
  }
}

/** Steps over `"key":`; false, at the place that is not one, when it is not there. */
function memberKey(s: JsonScanner): boolean {
  if (s.skipSpace() !== QUOTE) return false;
  s.readString();
  return s.eat(COLON);
}

/** How much of `true`, `false` or `null` the text at `at` spells before it goes wrong (V8 points past it, at `}` in `tru}`). */
function wordPrefix(text: string, at: number): number {
  let longest = 0;
  for (const word of ["true", "false", "null"]) {
    let n = 0;
    while (n < word.length && text[at + n] === word[n]) n++;
    longest = Math.max(longest, n);
  }
  return longest;
}
