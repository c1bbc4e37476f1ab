/**
 * Typed reads from a scenario file's YAML tree. Unlike a policy (which Intercept reads
 * leniently), a scenario is ours: a wrong type or an unknown key is an error at its place,
 * since a typo like `expcet:` would otherwise make a test that checks nothing.
 */
import { InputError } from "../errors.js";
import { nearest } from "../suggest.js";
import { describeNode, type YMap, type YNode, type YScalar, type YSeq } from "../yaml-source.js";
import type { At } from "./types.js";

export class ScenarioReader {
  constructor(readonly file: string) {}

  at(node: YNode): At {
    return { file: this.file, line: node.at.line, col: node.at.col };
  }

  fail(node: YNode, message: string, hint?: string): never {
    throw new InputError(message, this.at(node), hint);
  }

  get(map: YMap, key: string): YNode | undefined {
    return map.entries.find((e) => e.keyText === key)?.value;
  }

  /** Refuses keys not in `known`, naming the nearest known one. */
  keys(map: YMap, known: readonly string[], where: string): void {
    const knownHere = () => `known keys here: ${known.map((k) => `\`${k}\``).join(", ")}`;
    for (const e of map.entries) {
      if (e.key.kind !== "scalar") this.fail(e.key, `a key in ${where} must be a single value, not ${describeNode(e.key)}`, knownHere());
      if (known.includes(e.keyText)) continue;
      const guess = nearest(e.keyText, known);
      this.fail(e.key, `unknown key \`${e.keyText}\` in ${where}`, guess ? `did you mean \`${guess}\`?` : knownHere());
    }
  }

  map(node: YNode, what: string, example: string): YMap {
    if (node.kind === "map") return node;
    this.fail(node, `${what} must be a mapping, not ${describeNode(node)}`, `write for example ${example}`);
  }

  seq(node: YNode, what: string, example: string): YSeq {
    if (node.kind === "seq") return node;
    this.fail(node, `${what} must be a list, not ${describeNode(node)}`, `write for example ${example}`);
  }

  scalar(node: YNode, what: string, example: string): YScalar {
    if (node.kind === "scalar" && node.value !== null) return node;
    this.fail(node, `${what} must be a single value, not ${describeNode(node)}`, `write for example ${example}`);
  }

  /** A text value; numbers and booleans read as written (`rule: 42` is the rule named "42"). */
  string(node: YNode, what: string, example: string): string {
    const s = this.scalar(node, what, example);
    return typeof s.value === "string" ? s.value : s.text;
  }

  /** A text value, or null when written as `~`/`null`. */
  stringOrNull(node: YNode, what: string, example: string): string | null {
    if (node.kind === "scalar" && node.value === null) return null;
    return this.string(node, what, example);
  }

  oneOf<T extends string>(node: YNode, what: string, allowed: readonly T[]): T {
    const s = this.string(node, what, allowed[0]!);
    if ((allowed as readonly string[]).includes(s)) return s as T;
    const guess = nearest(s, allowed);
    this.fail(node, `${what} ${JSON.stringify(s)} is not one of ${allowed.join(", ")}`, guess ? `did you mean ${guess}?` : `write one of ${allowed.join(", ")}`);
  }

  /** A whole number at least `min`. */
  int(node: YNode, what: string, min: number): number {
    if (node.kind === "scalar" && (typeof node.value === "number" || typeof node.value === "bigint")) {
      // The YAML reader keeps integers exact as bigints; counts and indexes fit a number.
      const n = Number(node.value);
      if (Number.isSafeInteger(n) && n >= min) return n;
    }
    this.fail(node, `${what} must be a whole number of at least ${min}, not ${describeNode(node)}`, `write for example ${what}: ${Math.max(min, 1)}`);
  }

  /** A string or a list of strings. */
  strings(node: YNode, what: string, example: string): { value: string; node: YNode }[] {
    if (node.kind === "seq") return node.items.map((item) => ({ value: this.string(item, what, example), node: item }));
    return [{ value: this.string(node, what, example), node }];
  }
}
