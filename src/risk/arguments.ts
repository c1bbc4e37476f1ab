/**
 * Which argument an example condition should check, read from the tool's `inputSchema`, so a
 * starter rule names a real argument (`args.command`, `args.amount`) instead of a placeholder.
 */
import type { ToolInfo } from "../tape/tools.js";

export interface ExampleCondition {
  path: string;
  op: "regex" | "gt";
  value: string | number;
  /** What the example means, for a comment. */
  says: string;
}

const TEXT_ARGS = ["command", "cmd", "code", "script", "sql", "query", "url", "path", "file", "target"];
const AMOUNT_ARGS = ["amount", "total", "value", "price", "quantity", "sum", "cost"];

function properties(tool: ToolInfo): [string, Record<string, unknown>][] {
  const props = tool.inputSchema?.properties;
  if (!props || typeof props !== "object") return [];
  return Object.entries(props as Record<string, unknown>).filter(
    (e): e is [string, Record<string, unknown>] => typeof e[1] === "object" && e[1] !== null,
  );
}

function pick(tool: ToolInfo, preferred: string[], types: string[]): string | undefined {
  const typed = properties(tool).filter(([, s]) => types.includes(String(s.type)));
  for (const want of preferred) {
    const hit = typed.find(([name]) => name.toLowerCase().includes(want));
    if (hit) return hit[0];
  }
  return typed[0]?.[0];
}

/** Dotted paths need plain keys: a key with a dot in it cannot be reached by `args.a.b`. */
const reachable = (key: string | undefined) => (key !== undefined && !key.includes(".") ? key : undefined);

/** An argument check for a tool that runs things: only what you expect may pass. */
export function executeExample(tool: ToolInfo): ExampleCondition {
  const arg = reachable(pick(tool, TEXT_ARGS, ["string"])) ?? "command";
  const lower = arg.toLowerCase();
  if (lower.includes("sql") || lower.includes("query")) {
    return { path: `args.${arg}`, op: "regex", value: "^\\s*(select|SELECT)\\s", says: "only SELECT statements" };
  }
  if (lower.includes("url")) return { path: `args.${arg}`, op: "regex", value: "^https://example\\.com/", says: "only URLs of one site" };
  if (lower.includes("path") || lower.includes("file")) return { path: `args.${arg}`, op: "regex", value: "^/srv/allowed/", says: "only paths under one folder" };
  return { path: `args.${arg}`, op: "regex", value: "^(ls|cat|echo)( |$)", says: "only the commands you expect" };
}

/** A cap for a tool that moves money: amounts above this are refused (or held). */
export function amountExample(tool: ToolInfo): ExampleCondition {
  const arg = reachable(pick(tool, AMOUNT_ARGS, ["number", "integer"])) ?? "amount";
  return { path: `args.${arg}`, op: "gt", value: 10000, says: "amounts above 10000" };
}
