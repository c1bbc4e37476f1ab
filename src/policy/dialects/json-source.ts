/**
 * Strict JSON (RFC 8259) with positions, into the same tree of maps, lists and scalars the
 * YAML loader builds (yaml-source.ts), so dialect code and the shared condition checks read
 * both. Read with our JSON scanner (json/scanner.ts) rather than the `yaml` package because YAML
 * accepts what JSON does not (comments, unquoted strings, `0x10`, trailing text) and reads
 * numbers differently.
 *
 * Numbers become float64 (a JS number), as a JSON decoder in Go (`any`) or JavaScript reads
 * them; a number too large for a float64 is an error. Duplicate keys are an error: JSON leaves
 * them undefined and decoders disagree about which one wins.
 */
import { InputError } from "../../errors.js";
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, JsonScanner, JsonSyntaxError, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "../../json/scanner.js";
import type { Where, YamlSource, YEntry, YNode, YScalar } from "../../yaml-source.js";

/** Deeper nesting than any policy needs; past it the file is refused rather than overflow the stack. */
const MAX_DEPTH = 200;

export function parseJsonSource(text: string, file: string): YamlSource {
  // A byte order mark is not JSON, but editors write one; columns count from after it.
  const parser = new JsonParser(text.startsWith("\uFEFF") ? text.slice(1) : text, file);
  try {
    return { file, root: parser.document() };
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw parser.syntaxError(err.message, err.hint, err.offset);
    throw err;
  }
}

/** Recursive descent over the shared scanner (json/scanner.ts), building the YAML loader's tree. */
class JsonParser {
  private readonly s: JsonScanner;
  /** Line counting resumes from the last position asked for (offsets mostly only grow). */
  private mark = { offset: 0, line: 1, lineStart: 0 };

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.s = new JsonScanner(text);
  }

  document(): YNode | null {
    if (this.s.skipSpace() === -1) return null;
    const root = this.value(0);
    if (this.s.skipSpace() !== -1) this.fail("unexpected text after the JSON value", "a policy file holds one JSON object; remove what follows it");
    return root;
  }

  private value(depth: number): YNode {
    const c = this.s.skipSpace();
    if (depth > MAX_DEPTH) this.fail(`JSON nested deeper than ${MAX_DEPTH} levels`, "a policy does not need this depth");
    const at = this.where();
    if (c === OPEN_BRACE) return this.object(depth, at);
    if (c === OPEN_BRACKET) return this.array(depth, at);
    if (c === QUOTE) {
      const value = this.s.readString();
      return { kind: "scalar", value, text: value, style: "quoted", at };
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return this.number(at);
    const word = this.s.readWord();
    if (word !== undefined) return { kind: "scalar", value: word.value, text: word.value === null ? "" : word.text, style: "plain", at };
    if (c === -1) this.fail("JSON ends where a value was expected", "the file is cut short; close every { and [");
    if (c === 0x27 /* ' */) this.fail("JSON strings use double quotes", 'write "text", not \'text\'');
    return this.fail(`unexpected character ${JSON.stringify(this.text[this.s.pos])} where a value was expected`, 'write a string in double quotes, a number, true, false, null, an object or a list');
  }

  private object(depth: number, at: Where): YNode {
    this.s.pos++;
    const entries: YEntry[] = [];
    const seen = new Set<string>();
    if (this.s.eat(CLOSE_BRACE)) return { kind: "map", entries, at };
    for (;;) {
      const c = this.s.skipSpace();
      const keyAt = this.where();
      if (c !== QUOTE) {
        if (c === CLOSE_BRACE) this.fail("trailing comma before }", "JSON allows no comma after the last member; remove it");
        this.fail("expected a key in double quotes", 'write "key": value');
      }
      const key = this.s.readString();
      if (seen.has(key)) {
        throw new InputError(`duplicate key "${key}" in an object`, { file: this.file, ...keyAt }, "each key may appear once; merge the two entries");
      }
      seen.add(key);
      if (!this.s.eat(COLON)) this.fail(`expected ":" after the key "${key}"`, 'write "key": value');
      const keyNode: YScalar = { kind: "scalar", value: key, text: key, style: "quoted", at: keyAt };
      entries.push({ key: keyNode, keyText: key, value: this.value(depth + 1) });
      if (this.s.eat(CLOSE_BRACE)) return { kind: "map", entries, at };
      if (!this.s.eat(COMMA)) this.fail("expected , or } after a member", "separate members with commas");
    }
  }

  private array(depth: number, at: Where): YNode {
    this.s.pos++;
    const items: YNode[] = [];
    if (this.s.eat(CLOSE_BRACKET)) return { kind: "seq", items, at };
    for (;;) {
      if (this.s.skipSpace() === CLOSE_BRACKET) this.fail("trailing comma before ]", "JSON allows no comma after the last item; remove it");
      items.push(this.value(depth + 1));
      if (this.s.eat(CLOSE_BRACKET)) return { kind: "seq", items, at };
      if (!this.s.eat(COMMA)) this.fail("expected , or ] after an item", "separate items with commas");
    }
  }

  private number(at: Where): YNode {
    const start = this.s.pos;
    const text = this.s.readNumber();
    const value = Number(text);
    if (!Number.isFinite(value)) this.fail(`number ${text} is too large for a float64`, "use a smaller number", start);
    return { kind: "scalar", value, text, style: "plain", at };
  }

  /** Line and column (1-based, in UTF-16 units as the YAML loader counts) of `offset`. */
  private where(offset = this.s.pos): Where {
    if (offset < this.mark.offset) this.mark = { offset: 0, line: 1, lineStart: 0 };
    let { line, lineStart } = this.mark;
    for (let k = this.text.indexOf("\n", this.mark.offset); k !== -1 && k < offset; k = this.text.indexOf("\n", k + 1)) {
      line++;
      lineStart = k + 1;
    }
    this.mark = { offset, line, lineStart };
    return { line, col: offset - lineStart + 1 };
  }

  syntaxError(message: string, hint: string, offset = this.s.pos): InputError {
    return new InputError(`JSON syntax error: ${message}`, { file: this.file, ...this.where(offset) }, hint);
  }

  private fail(message: string, hint: string, offset?: number): never {
    throw this.syntaxError(message, hint, offset);
  }
}
