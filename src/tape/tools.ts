/**
 * The tools a server offered: from the `tools/list` answers in a tape, or from a JSON file
 * (`[{name, ...}]` or `{"tools": [...]}`, as a `tools/list` result is). Used by fuzzing (the
 * `inputSchema`), risk classes and starter policies (annotations, descriptions).
 */
import { InputError } from "../errors.js";
import { readUserFile } from "../files.js";
import { pairingKey } from "./pairing.js";
import { readTape } from "./reader.js";
import type { TapeLine } from "./schema.js";

export interface ToolInfo {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
}

const HINT = 'give a tape (.jsonl) or a JSON file like {"tools": [{"name": ..., "inputSchema": ...}]}';

/**
 * What a `--tools` file is: a tape (its lines, streamed) or a tools JSON (its text). A `.jsonl`
 * file is a tape; any other is read whole, and is a tape when its first line is a tape line (a
 * pipe such as `<(zcat t.jsonl.gz)`, a rotated `t.jsonl.1`), else JSON.
 */
export async function toolsSource(path: string): Promise<{ lines: AsyncIterable<{ line: TapeLine }> } | { json: string }> {
  if (path === "-") throw new InputError("--tools does not read standard input (-)", { file: path }, `${HINT}, by its path`);
  if (path.endsWith(".jsonl")) return { lines: readTape(path) };
  const text = readUserFile(path, "tools file", HINT);
  // mcptape writes `kind` first on every tape line; a JSON tools file has no `kind`.
  if (!/^\uFEFF?\s*\{\s*"kind"\s*:/.test(text)) return { json: text };
  // Loaded here only: parse-text loads the line schemas (zod) up front, which a replay never needs.
  const { parseTape } = await import("./parse-text.js");
  return { lines: toAsync(parseTape(text, path)) };
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** Tools by name in first-seen order; a later listing of the same name replaces the earlier. */
export async function readTools(path: string): Promise<ToolInfo[]> {
  const source = await toolsSource(path);
  if ("json" in source) return toolsFromJson(source.json, path);
  const listed = new ToolListings(path);
  for await (const { line } of source.lines) listed.see(line);
  return listedTools(listed, path);
}

function listedTools(listed: ToolListings, path: string): ToolInfo[] {
  const tools = listed.tools();
  if (tools.length === 0) {
    throw new InputError("the tape holds no tools/list answer", { file: path }, "record a session in which the client lists the tools, or give a tools JSON file");
  }
  return tools;
}

/** The tools a tape's tools/list answers name, collected a line at a time (so one read of a tape can gather more). */
export class ToolListings {
  private readonly requests = new Set<string>();
  private readonly byName = new Map<string, ToolInfo>();

  constructor(private readonly path: string) {}

  see(line: TapeLine): void {
    if (line.kind !== "msg") return;
    for (const m of (Array.isArray(line.msg) ? line.msg : [line.msg]) as Record<string, unknown>[]) {
      if (m === null || typeof m !== "object") continue;
      const key = pairingKey(this.path, line.session, m.id);
      if (line.dir === "c2s" && m.method === "tools/list") this.requests.add(key);
      else if (line.dir === "s2c" && this.requests.has(key) && m.result) {
        this.requests.delete(key);
        for (const t of toolsOfList((m.result as { tools?: unknown }).tools, this.path)) this.byName.set(t.name, t);
      }
    }
  }

  /** By name in first-seen order; a later listing of the same name replaces the earlier. */
  tools(): ToolInfo[] {
    return [...this.byName.values()];
  }
}

export function toolsFromJson(text: string, path: string): ToolInfo[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not JSON: ${(err as Error).message}`, { file: path }, HINT);
  }
  const list = Array.isArray(value) ? value : (value as { tools?: unknown } | null)?.tools;
  const tools = new Map<string, ToolInfo>();
  for (const t of toolsOfList(list, path)) tools.set(t.name, t);
  return [...tools.values()];
}

/** The tools of a `tools/list` result's `tools` (entries without a name are skipped). */
export function toolsOfList(list: unknown, file: string): ToolInfo[] {
  if (!Array.isArray(list)) {
    throw new InputError("expected a list of tools", { file }, 'write [{"name": "..."}] or {"tools": [...]}');
  }
  const out: ToolInfo[] = [];
  for (const t of list as Record<string, unknown>[]) {
    if (!t || typeof t.name !== "string") continue;
    out.push({
      name: t.name,
      ...(typeof t.description === "string" ? { description: t.description } : {}),
      ...(t.inputSchema && typeof t.inputSchema === "object" ? { inputSchema: t.inputSchema as Record<string, unknown> } : {}),
      ...(t.annotations && typeof t.annotations === "object" ? { annotations: t.annotations as ToolInfo["annotations"] } : {}),
    });
  }
  return out;
}
