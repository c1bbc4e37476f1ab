/**
 * The property file (`--properties FILE`, YAML): per tool, a list of what must never be allowed.
 *
 *   read_file:
 *     - args.path contains ".."
 *   create_refund:
 *     - args.amount > 50000
 *     - { max_calls: 10, per: 60s }     # sequences: at most 10 allowed calls in any 60 s
 *   "*":                                 # every fuzzed tool
 *     - args.token exists true
 *
 * Also accepted: the same mapping under `tools:`, an entry `{forbid: EXPR}`, and a top-level
 * list of entries that name their tool (`- {tool: read_file, forbid: ...}`).
 */
import { readUserFile } from "../files.js";
import { InputError, type Position } from "../errors.js";
import { parseYamlSource, type YMap, type YNode } from "../yaml-source.js";
import { parseForbid } from "./expr.js";
import type { Property } from "./types.js";

const FORM = 'write per tool a list, like `read_file: ["args.path contains \\"..\\"", {max_calls: 10, per: 60s}]`';
/** Under this key (or with no tool), an entry applies to every fuzzed tool. */
export const ANY_TOOL = "*";

export function loadPropertiesFile(file: string): Property[] {
  return parsePropertiesText(readUserFile(file, "property file", "check the path given with --properties"), file);
}

export function parsePropertiesText(text: string, file: string): Property[] {
  const root = parseYamlSource(text, file).root;
  if (root === null) throw new InputError("the property file is empty", { file, line: 1, col: 1 }, FORM);
  const at = (n: YNode): Position => ({ file, line: n.at.line, col: n.at.col });
  const out: Property[] = [];
  const entry = (tool: string | undefined, node: YNode) => {
    if (node.kind === "scalar") {
      if (typeof node.value !== "string") throw new InputError("a forbidden expression must be text", at(node), FORM);
      out.push({ kind: "forbid", ...(tool === undefined ? {} : { tool }), expr: parseForbid(node.value, at(node)) });
      return;
    }
    if (node.kind !== "map") throw new InputError("expected an expression or a mapping", at(node), FORM);
    const fields = new Map(node.entries.map((e) => [e.keyText, e.value]));
    for (const key of fields.keys()) {
      if (!["tool", "forbid", "max_calls", "per"].includes(key)) throw new InputError(`unknown key ${JSON.stringify(key)}`, at(node), "use forbid, or max_calls with per (and tool in a list)");
    }
    const toolNode = fields.get("tool");
    const named = toolNode ? scalarText(toolNode, "tool", at) : tool;
    const forbid = fields.get("forbid");
    if (forbid) {
      // Each entry is one property: a max_calls beside a forbid would be left unchecked.
      if (fields.has("max_calls") || fields.has("per")) throw new InputError("an entry is forbid or max_calls, not both", at(node), "write them as two entries of the list");
      entry(named, forbid);
      return;
    }
    const max = fields.get("max_calls");
    if (!max) throw new InputError("an entry needs forbid or max_calls", at(node), FORM);
    if (max.kind !== "scalar" || typeof max.value !== "bigint" || max.value < 0n) {
      throw new InputError("max_calls must be a whole number", at(max), "like max_calls: 10");
    }
    const perNode = fields.get("per");
    if (!perNode) throw new InputError("max_calls needs per, the span", at(node), "like per: 60s");
    const perMs = parseSpan(perNode, at);
    const text = `${max.value}/${scalarText(perNode, "per", at)}`;
    const tool_ = named ?? ANY_TOOL;
    out.push({ kind: "max_calls", tool: tool_, max: Number(max.value), perMs, source: `${tool_} ${text}` });
  };

  const perTool = (map: YMap) => {
    for (const e of map.entries) {
      const tool = e.keyText === ANY_TOOL ? undefined : e.keyText;
      const items = e.value.kind === "seq" ? e.value.items : [e.value];
      for (const item of items) entry(tool, item);
    }
  };
  if (root.kind === "seq") for (const item of root.items) entry(undefined, item);
  else if (root.kind === "map") {
    const tools = root.entries.length === 1 && root.entries[0]!.keyText === "tools" ? root.entries[0]!.value : root;
    if (tools.kind !== "map") throw new InputError("tools: must be a mapping of tool names", at(tools), FORM);
    perTool(tools);
  } else throw new InputError("expected a mapping of tool names", at(root), FORM);
  return out;
}

function scalarText(node: YNode, what: string, at: (n: YNode) => Position): string {
  if (node.kind !== "scalar" || node.value === null) throw new InputError(`${what} must be text`, at(node), FORM);
  return node.text;
}

/** `60s`, `1m`, `1h`, `250ms`, `1d`, or a number of seconds. */
export function parseSpan(node: YNode, at: (n: YNode) => Position): number {
  const text = node.kind === "scalar" ? node.text.trim() : "";
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const ms = m ? Number(m[1]) * unit[m[2] ?? "s"]! : NaN;
  if (!(ms >= 1)) throw new InputError(`per ${JSON.stringify(text)} is not a span`, at(node), "write per: 60s, 1m, 1h or 250ms");
  return Math.round(ms);
}

/** The time budget of `--time`: `10s`, `2m`, `500ms`, or seconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const ms = m ? Number(m[1]) * unit[m[2] ?? "s"]! : NaN;
  if (!(ms > 0)) throw new InputError(`${flag} ${JSON.stringify(text)} is not a duration`, undefined, `write ${flag} 10s, 2m or 500ms`);
  return ms;
}
