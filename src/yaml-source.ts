/**
 * YAML with positions. Parses a policy file into a small tree of maps, lists and scalars where
 * every node knows its line and column, so each diagnostic can point at the offending node.
 * Duplicate keys, alias bombs, recursive aliases and syntax errors become InputErrors.
 */
import {
  LineCounter, parseAllDocuments, parseDocument, isAlias, isMap, isPair, isScalar, isSeq,
  type Alias, type Document, type Node as YamlNode,
} from "yaml";
import { InputError, type Position } from "./errors.js";

/** Aliases expanded beyond this many are taken as a resource-exhaustion attempt. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Deeper nesting than this is refused (as the JSON reader does): the yaml package and the
 * converter below recurse, so without a limit a deep file fails by running out of stack.
 */
export const MAX_YAML_DEPTH = 200;
const TOO_DEEP_HINT = `nothing in a policy or scenario needs more than ${MAX_YAML_DEPTH} levels; flatten the value`;

export interface Where {
  line: number;
  col: number;
}

export type ScalarStyle = "plain" | "quoted" | "block";

export interface YScalar {
  kind: "scalar";
  /** The value under the YAML 1.2 core schema: null, boolean, integer (bigint), float (number) or string. */
  value: null | boolean | bigint | number | string;
  /**
   * The scalar's text as written (quotes removed). Go's yaml.v3 decodes any scalar into a
   * string field as this text, so `version: 1` reads as the string "1".
   */
  text: string;
  style: ScalarStyle;
  /** Its explicit tag (`!!str 1`: tag:yaml.org,2002:str), which decides its type in Go's yaml.v3. */
  tag?: string;
  at: Where;
}

export interface YEntry {
  key: YNode;
  /** The key as Go would read it into a string (scalar text; "" for non-scalar keys). */
  keyText: string;
  value: YNode;
}

export interface YMap {
  kind: "map";
  entries: YEntry[];
  at: Where;
}

export interface YSeq {
  kind: "seq";
  items: YNode[];
  at: Where;
}

export type YNode = YScalar | YMap | YSeq;

export interface YamlSource {
  file: string;
  /** null for an empty document. */
  root: YNode | null;
  /** With `firstDocumentOnly`: where a second document starts, when there is one. */
  laterDocument?: Where;
}

export interface YamlSourceOptions {
  /**
   * Read the first document and ignore the rest, as Go's yaml.Unmarshal does (yaml.go,
   * unmarshal: one document node is parsed); otherwise a second document is an error.
   */
  firstDocumentOnly?: boolean;
}

const MERGE_KEY = "<<";

export function parseYamlSource(text: string, file: string, { firstDocumentOnly = false }: YamlSourceOptions = {}): YamlSource {
  const lines = new LineCounter();
  const options = {
    lineCounter: lines,
    uniqueKeys: sameKeyForGo,
    merge: true,
    // Integers stay exact (bigint), floats are numbers: Go's int/float64 split (see gofmt.ts).
    intAsBigInt: true,
    prettyErrors: false,
  };
  let doc: Document.Parsed = parseDocument(text, options);
  const where = (offset: number): Position => ({ file, ...lines.linePos(offset) });
  let laterDocument: Where | undefined;
  if (firstDocumentOnly && doc.errors[0]?.code === "MULTIPLE_DOCS") {
    // Nothing after the first document counts, not even its syntax.
    const docs = parseAllDocuments(text, { ...options, lineCounter: new LineCounter() }) as Document.Parsed[];
    doc = docs[0]!;
    const second = where(docs[1]!.range[0]);
    laterDocument = { line: second.line ?? 1, col: second.col ?? 1 };
  }

  const first = doc.errors[0];
  if (first) {
    const pos = where(first.pos[0]);
    if (first.code === "DUPLICATE_KEY") {
      throw new InputError("duplicate key in a mapping", pos, "each key may appear once; merge the two entries");
    }
    if (/call stack/i.test(first.message)) throw new InputError("YAML nested too deeply to read", pos, TOO_DEEP_HINT);
    throw new InputError(`YAML syntax error: ${firstLine(first.message)}`, pos, "fix the YAML syntax at this place");
  }
  refuseDeepNesting(doc, where);
  refuseAliasBombs(doc, file, where);
  const root = doc.contents ? new Converter(doc, where).node(doc.contents as YamlNode) : null;
  return laterDocument ? { file, root, laterDocument } : { file, root };
}

/**
 * Duplicate keys as Go's yaml.v3 finds them (decode.go, `mapping`: the same kind of node and
 * the same text, before any tag reads it), which Intercept refuses. So `1` and `"1"` are one key
 * twice, and `0x10` and `16`, or `~` and `null`, are two keys (the yaml package's own test
 * compares the values they read as).
 */
function sameKeyForGo(a: unknown, b: unknown): boolean {
  return goKeyKind(a) === goKeyKind(b) && goKeyText(a) === goKeyText(b);
}

function goKeyKind(key: unknown): string {
  return isMap(key) ? "map" : isSeq(key) ? "seq" : isAlias(key) ? "alias" : "scalar";
}

/** yaml.v3's Node.Value: a scalar's text with quotes and escapes read, an alias's anchor, "" for a collection or an empty key. */
function goKeyText(key: unknown): string {
  if (isScalar(key) || isAlias(key)) return typeof key.source === "string" ? key.source : "";
  return "";
}

/** Depth of maps and lists as written (aliases count as leaves: their expansion is limited apart). */
function refuseDeepNesting(doc: Document, where: (o: number) => Position): void {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, depth } = top;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_YAML_DEPTH) {
      throw new InputError(`YAML nested deeper than ${MAX_YAML_DEPTH} levels`, where(node.range?.[0] ?? 0), TOO_DEEP_HINT);
    }
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else {
        stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
}

/** Let the yaml package count alias expansions; it throws past maxAliasCount. */
function refuseAliasBombs(doc: Document, file: string, where: (o: number) => Position): void {
  try {
    // mapAsMap: a mapping or list as a key stays a Map key, not text with a Node warning on stderr.
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
  } catch (err) {
    const firstAlias = findFirstAlias(doc.contents as YamlNode | null);
    const pos = firstAlias?.range ? where(firstAlias.range[0]) : { file };
    const why = err instanceof Error ? err.message : String(err);
    throw new InputError(
      `YAML aliases expand too much (${why})`,
      pos,
      `a policy may expand at most ${MAX_ALIAS_COUNT} aliases; write the values out`,
    );
  }
}

function findFirstAlias(node: YamlNode | null): Alias | null {
  if (!node) return null;
  if (isAlias(node)) return node;
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      if (isPair(item)) {
        const hit = findFirstAlias(item.key as YamlNode | null) ?? findFirstAlias(item.value as YamlNode | null);
        if (hit) return hit;
      } else {
        const hit = findFirstAlias(item as YamlNode | null);
        if (hit) return hit;
      }
    }
  }
  return null;
}

/** Turns the yaml package's nodes into ours, resolving aliases (shared, not copied) and `<<` merges. */
class Converter {
  private readonly done = new Map<YamlNode, YNode>();
  private readonly inProgress = new Set<YamlNode>();

  constructor(
    private readonly doc: Document,
    private readonly where: (o: number) => Position,
  ) {}

  private at(node: YamlNode): Where {
    const p = this.where(node.range?.[0] ?? 0);
    return { line: p.line ?? 1, col: p.col ?? 1 };
  }

  node(node: YamlNode | null | undefined, context?: YamlNode): YNode {
    if (node === null || node === undefined) {
      // `key:` with nothing after it: a null placed where the key is.
      return { kind: "scalar", value: null, text: "", style: "plain", at: context ? this.at(context) : { line: 1, col: 1 } };
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw new InputError(`unknown alias *${node.source}`, this.where(node.range?.[0] ?? 0), "define the anchor before using it");
      if (this.inProgress.has(target)) {
        throw new InputError(`alias *${node.source} refers to a node that contains it`, this.where(node.range?.[0] ?? 0), "a policy cannot be recursive; write the values out");
      }
      return this.node(target);
    }
    const seen = this.done.get(node);
    if (seen) return seen;
    this.inProgress.add(node);
    const out = this.convert(node);
    this.inProgress.delete(node);
    this.done.set(node, out);
    return out;
  }

  private convert(node: YamlNode): YNode {
    const at = this.at(node);
    if (isScalar(node)) {
      const value = node.value;
      const style: ScalarStyle =
        node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? "quoted"
          : node.type === "BLOCK_FOLDED" || node.type === "BLOCK_LITERAL" ? "block" : "plain";
      const text = typeof node.source === "string" ? node.source : value === null || value === undefined ? "" : String(value);
      const scalar: YScalar = { kind: "scalar", value: toScalarValue(value, text), text: value === null ? "" : text, style, at };
      if (node.tag !== undefined) scalar.tag = node.tag;
      return scalar;
    }
    if (isSeq(node)) {
      return { kind: "seq", items: node.items.map((item) => this.node(item as YamlNode, node)), at };
    }
    if (isMap(node)) {
      const entries: YEntry[] = [];
      const merged: YEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        if (isScalar(keyNode) && typeof keyNode.value === "symbol" && keyNode.source === MERGE_KEY) {
          merged.push(...this.mergeSources(pair.value as YamlNode | null, keyNode));
          continue;
        }
        const key = this.node(keyNode, node);
        const value = this.node(pair.value as YamlNode | null, keyNode ?? node);
        entries.push({ key, keyText: key.kind === "scalar" ? key.text : "", value });
      }
      // Explicit keys win over merged ones, as in YAML merge semantics.
      const own = new Set(entries.map((e) => e.keyText));
      for (const entry of merged) {
        if (own.has(entry.keyText)) continue;
        own.add(entry.keyText);
        entries.push(entry);
      }
      return { kind: "map", entries, at };
    }
    throw new InputError("unsupported YAML node", this.where(node.range?.[0] ?? 0));
  }

  private mergeSources(value: YamlNode | null, keyNode: YamlNode): YEntry[] {
    const source = this.node(value, keyNode);
    const maps = source.kind === "seq" ? source.items : [source];
    const out: YEntry[] = [];
    for (const m of maps) {
      if (m.kind !== "map") {
        throw new InputError("`<<` merges only mappings", { ...this.where(0), ...m.at }, "merge a mapping or a list of mappings");
      }
      out.push(...m.entries);
    }
    return out;
  }
}

function toScalarValue(value: unknown, text: string): YScalar["value"] {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "string" || typeof value === "bigint") return value;
  return text;
}

/**
 * A node as a plain JSON-able JS value (integers as numbers). Intercept condition values keep
 * Go's int/float split instead: see `goPlain` in dialects/fields.ts.
 */
export function toPlain(node: YNode): unknown {
  switch (node.kind) {
    case "scalar":
      return typeof node.value === "bigint" ? Number(node.value) : node.value;
    case "seq":
      return node.items.map(toPlain);
    case "map": {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) setOwn(out, e.keyText, toPlain(e.value));
      return out;
    }
  }
}

/** `obj[key] = value` that keeps a key named `__proto__` as data, as JSON.parse does. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function describeNode(node: YNode): string {
  if (node.kind === "map") return "a mapping";
  if (node.kind === "seq") return "a list";
  if (node.value === null) return "empty (null)";
  if (typeof node.value === "string") return `the string "${node.value}"`;
  if (typeof node.value === "bigint") return `the number ${node.text}`;
  if (typeof node.value === "number") return `the number ${node.text}`;
  return `${typeof node.value} ${node.text}`;
}
