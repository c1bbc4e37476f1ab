/**
 * Strict JSON (RFC 8259) with positions, into the same tree of maps, lists and scalars the
 * YAML loader builds (yaml-source.ts), so dialect code and the shared condition checks read
 * both. Written by hand rather than through the `yaml` package because YAML accepts what JSON
 * does not (comments, unquoted strings, `0x10`, trailing text) and reads numbers differently.
 *
 * Numbers become float64 (a JS number), as a JSON decoder in Go (`any`) or JavaScript reads
 * them; a number too large for a float64 is an error. Duplicate keys are an error: JSON leaves
 * them undefined and decoders disagree about which one wins.
 */
import { InputError } from "../../errors.js";
import type { Where, YamlSource, YEntry, YNode, YScalar } from "../yaml-source.js";

/** Deeper nesting than any policy needs; past it the file is refused rather than overflow the stack. */
const MAX_DEPTH = 200;

export function parseJsonSource(text: string, file: string): YamlSource {
  // A byte order mark is not JSON, but editors write one; columns count from after it.
  const parser = new JsonParser(text.startsWith("\uFEFF") ? text.slice(1) : text, file);
  return { file, root: parser.document() };
}

class JsonParser {
  private i = 0;
  /** Line counting resumes from the last position asked for (offsets mostly only grow). */
  private mark = { offset: 0, line: 1, lineStart: 0 };

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  document(): YNode | null {
    this.space();
    if (this.i >= this.text.length) return null;
    const root = this.value(0);
    this.space();
    if (this.i < this.text.length) this.fail("unexpected text after the JSON value", "a policy file holds one JSON object; remove what follows it");
    return root;
  }

  private value(depth: number): YNode {
    if (depth > MAX_DEPTH) this.fail(`JSON nested deeper than ${MAX_DEPTH} levels`, "a policy does not need this depth");
    const at = this.where();
    const c = this.text[this.i];
    if (c === "{") return this.object(depth, at);
    if (c === "[") return this.array(depth, at);
    if (c === '"') {
      const value = this.string();
      return { kind: "scalar", value, text: value, style: "quoted", at };
    }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number(at);
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return { kind: "scalar", value, text: value === null ? "" : word, style: "plain", at };
      }
    }
    if (c === undefined) this.fail("JSON ends where a value was expected", "the file is cut short; close every { and [");
    if (c === "'") this.fail("JSON strings use double quotes", 'write "text", not \'text\'');
    return this.fail(`unexpected character ${JSON.stringify(c)} where a value was expected`, 'write a string in double quotes, a number, true, false, null, an object or a list');
  }

  private object(depth: number, at: Where): YNode {
    this.i++;
    const entries: YEntry[] = [];
    const seen = new Set<string>();
    this.space();
    if (this.eat("}")) return { kind: "map", entries, at };
    for (;;) {
      this.space();
      const keyAt = this.where();
      if (this.text[this.i] !== '"') {
        if (this.text[this.i] === "}") this.fail("trailing comma before }", "JSON allows no comma after the last member; remove it");
        this.fail("expected a key in double quotes", 'write "key": value');
      }
      const key = this.string();
      if (seen.has(key)) {
        throw new InputError(`duplicate key "${key}" in an object`, { file: this.file, ...keyAt }, "each key may appear once; merge the two entries");
      }
      seen.add(key);
      this.space();
      if (!this.eat(":")) this.fail(`expected ":" after the key "${key}"`, 'write "key": value');
      this.space();
      const keyNode: YScalar = { kind: "scalar", value: key, text: key, style: "quoted", at: keyAt };
      entries.push({ key: keyNode, keyText: key, value: this.value(depth + 1) });
      this.space();
      if (this.eat("}")) return { kind: "map", entries, at };
      if (!this.eat(",")) this.fail("expected , or } after a member", "separate members with commas");
    }
  }

  private array(depth: number, at: Where): YNode {
    this.i++;
    const items: YNode[] = [];
    this.space();
    if (this.eat("]")) return { kind: "seq", items, at };
    for (;;) {
      this.space();
      if (this.text[this.i] === "]") this.fail("trailing comma before ]", "JSON allows no comma after the last item; remove it");
      items.push(this.value(depth + 1));
      this.space();
      if (this.eat("]")) return { kind: "seq", items, at };
      if (!this.eat(",")) this.fail("expected , or ] after an item", "separate items with commas");
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    let out = "";
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) {
        this.i = start;
        this.fail("string is not closed", 'end it with a double quote');
      }
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === "\\") {
        const e = this.text[this.i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          this.i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else {
          this.fail(`invalid escape \\${e ?? ""} in a string`, "JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
        }
        continue;
      }
      if (c < " ") this.fail("a control character (like a line break or tab) inside a string", "write it escaped, as \\n or \\t");
      out += c;
      this.i++;
    }
  }

  private number(at: Where): YNode {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (!m) this.fail("invalid number", "JSON numbers look like 30, -1.5 or 1e6 (no leading zeros, +, or a dot at either end)");
    const text = m[0];
    const next = this.text[this.i + text.length];
    if (next !== undefined && /[0-9.eExX_a-zA-Z]/.test(next)) {
      this.fail(`invalid number ${JSON.stringify(text + next)}`, "JSON numbers look like 30, -1.5 or 1e6 (no leading zeros, hex or underscores)");
    }
    const value = Number(text);
    if (!Number.isFinite(value)) this.fail(`number ${text} is too large for a float64`, "use a smaller number");
    this.i += text.length;
    return { kind: "scalar", value, text, style: "plain", at };
  }

  private space(): void {
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.i++;
      else if (c === "/" && (this.text[this.i + 1] === "/" || this.text[this.i + 1] === "*")) {
        this.fail("comments are not allowed in JSON", "remove the comment");
      } else return;
    }
  }

  private eat(c: string): boolean {
    if (this.text[this.i] !== c) return false;
    this.i++;
    return true;
  }

  /** Line and column (1-based, in UTF-16 units as the YAML loader counts) of the current offset. */
  private where(): Where {
    if (this.i < this.mark.offset) this.mark = { offset: 0, line: 1, lineStart: 0 };
    let { line, lineStart } = this.mark;
    for (let k = this.text.indexOf("\n", this.mark.offset); k !== -1 && k < this.i; k = this.text.indexOf("\n", k + 1)) {
      line++;
      lineStart = k + 1;
    }
    this.mark = { offset: this.i, line, lineStart };
    return { line, col: this.i - lineStart + 1 };
  }

  private fail(message: string, hint: string): never {
    throw new InputError(`JSON syntax error: ${message}`, { file: this.file, ...this.where() }, hint);
  }
}
