/**
 * One reader of JSON text (RFC 8259) that knows where it is: the policy loader's parser
 * (policy/dialects/json-source.ts), the recorder's duplicate-key check
 * (record/duplicate-keys.ts) and the tape reader's column of a bad field
 * (tape/line-parser.ts) all step through text with it, so they agree on what a string, a
 * number and whitespace are. It reads tokens; what a token means in its place (key or value,
 * a trailing comma) is the caller's to say.
 *
 * Written by hand rather than taken from `jsonc-parser`: that reader is lenient by design
 * (comments, trailing commas, its own error codes) and recursive, where we need strict JSON,
 * our own messages at exact offsets and a flat loop for the recorder's per-message check.
 */

/** A place in the text that is not JSON, with what to write instead. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset in UTF-16 units. */
    readonly offset: number,
    readonly hint: string,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;

/** The run of a string's characters that need no look: up to a quote, a backslash or a control character. */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON refuses inside a string
const PLAIN = /[^"\\\u0000-\u001f]*/y;
// eslint-disable-next-line no-control-regex -- as PLAIN
const CONTROL = /[\u0000-\u001f]/g;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
/** A character that would make a number's text longer in some other notation (03, 0x10, 1_000). */
const NUMBER_TAIL = /[0-9.eExX_a-zA-Z]/;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const WORDS = [["true", true], ["false", false], ["null", null]] as const;

export class JsonScanner {
  /** Offset of the next character to read. */
  pos: number;
  /**
   * Where the next backslash and control character are, at or after the last place asked
   * about (text.length when none): a string before both needs no look at its characters.
   * Kept, not searched each time, so a long text without them is searched once.
   */
  private backslash = -1;
  private control = -1;

  constructor(
    readonly text: string,
    from = 0,
  ) {
    this.pos = from;
  }

  /** Steps over JSON whitespace; the code of the character there, or -1 at the end. Comments are refused. */
  skipSpace(): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else if (c === SLASH && (text.charCodeAt(this.pos + 1) === SLASH || text.charCodeAt(this.pos + 1) === STAR)) {
        throw new JsonSyntaxError("comments are not allowed in JSON", this.pos, "remove the comment");
      } else return Number.isNaN(c) ? -1 : c;
    }
  }

  /** Steps past the character `code` when it is next, after whitespace. */
  eat(code: number): boolean {
    if (this.skipSpace() !== code) return false;
    this.pos++;
    return true;
  }

  /** The string that opens at `pos` (a double quote), decoded; `pos` moves past it. */
  readString(): string {
    const text = this.text;
    const start = this.pos;
    let from = start + 1;
    const q = text.indexOf('"', from);
    if (q !== -1 && this.nextBackslash(from) > q && this.nextControl(from) > q) {
      this.pos = q + 1;
      return text.slice(from, q);
    }
    let out = "";
    for (;;) {
      PLAIN.lastIndex = from;
      PLAIN.test(text);
      const i = PLAIN.lastIndex;
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return out + text.slice(from, i);
      }
      if (c === BACKSLASH) {
        out += text.slice(from, i);
        const e = text[i + 1];
        const simple = e === undefined ? undefined : ESCAPES[e];
        if (simple !== undefined) {
          out += simple;
          from = i + 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          from = i + 6;
        } else {
          throw new JsonSyntaxError(`invalid escape \\${e ?? ""} in a string`, i, "JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
        }
        continue;
      }
      if (Number.isNaN(c)) throw new JsonSyntaxError("string is not closed", start, "end it with a double quote");
      throw new JsonSyntaxError("a control character (like a line break or tab) inside a string", i, "write it escaped, as \\n or \\t");
    }
  }

  private nextBackslash(from: number): number {
    if (this.backslash < from) {
      const i = this.text.indexOf("\\", from);
      this.backslash = i === -1 ? this.text.length : i;
    }
    return this.backslash;
  }

  private nextControl(from: number): number {
    if (this.control < from) {
      CONTROL.lastIndex = from;
      this.control = CONTROL.test(this.text) ? CONTROL.lastIndex - 1 : this.text.length;
    }
    return this.control;
  }

  /**
   * Steps over the string that opens at `pos` without decoding or checking it: for text
   * already known to be JSON (JSON.parse took it), where only its end matters.
   */
  skipString(): void {
    const text = this.text;
    let from = this.pos + 1;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q === -1) {
        this.pos = text.length;
        return;
      }
      let backslashes = 0;
      for (let j = q - 1; text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
      if (backslashes % 2 === 0) {
        this.pos = q + 1;
        return;
      }
      from = q + 1;
    }
  }

  /** The text of the number that starts at `pos`, checked against JSON's grammar; `pos` moves past it. */
  readNumber(): string {
    const text = this.text;
    const start = this.pos;
    NUMBER.lastIndex = start;
    if (!NUMBER.test(text)) {
      throw new JsonSyntaxError("invalid number", start, "JSON numbers look like 30, -1.5 or 1e6 (no leading zeros, +, or a dot at either end)");
    }
    const end = NUMBER.lastIndex;
    const next = text[end];
    if (next !== undefined && NUMBER_TAIL.test(next)) {
      throw new JsonSyntaxError(`invalid number ${JSON.stringify(text.slice(start, end + 1))}`, start, "JSON numbers look like 30, -1.5 or 1e6 (no leading zeros, hex or underscores)");
    }
    this.pos = end;
    return text.slice(start, end);
  }

  /** `true`, `false` or `null` at `pos` (`pos` moves past it), or undefined when none of them is there. */
  readWord(): { text: string; value: boolean | null } | undefined {
    for (const [text, value] of WORDS) {
      if (this.text.startsWith(text, this.pos)) {
        this.pos += text.length;
        return { text, value };
      }
    }
    return undefined;
  }
}
