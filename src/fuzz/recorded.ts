/**
 * What `--tools` gives fuzzing, in one read of a tape (known as readTools knows one): the tools
 * its `tools/list` answers describe, and the arguments of its `tools/call` requests and `call`
 * lines per tool, as bases for mutation. A tape of `call` lines only (an imported audit log, a
 * hand-written seed) lists no tools but still seeds the tools it called.
 */
import { ToolListings, toolsFromJson, toolsSource, type ToolInfo } from "../tape/tools.js";

/** At most this many distinct argument objects per tool (the first seen). */
const KEEP = 200;

export interface TapeSeeds {
  /** The tools listed, by name in first-seen order. */
  tools: ToolInfo[];
  /** Arguments recorded per tool, in the order the tape holds them. */
  recorded: Map<string, unknown[]>;
}

/** From `--tools`: a tape's tools and recorded arguments, or a tools JSON's tools (no arguments). */
export async function toolsAndSeeds(path: string): Promise<TapeSeeds> {
  const source = await toolsSource(path);
  if ("json" in source) return { tools: toolsFromJson(source.json, path), recorded: new Map() };
  const listings = new ToolListings(path);
  const recorded = new Map<string, unknown[]>();
  const seen = new Set<string>();
  const add = (tool: unknown, args: unknown) => {
    if (typeof tool !== "string" || args === undefined) return;
    const key = `${tool}\u0000${JSON.stringify(args)}`;
    if (seen.has(key)) return;
    seen.add(key);
    let list = recorded.get(tool);
    if (list === undefined) recorded.set(tool, (list = []));
    if (list.length < KEEP) list.push(args);
  };
  for await (const { line } of source.lines) {
    listings.see(line);
    if (line.kind === "call") add(line.tool, line.args);
    else if (line.kind === "msg" && line.dir === "c2s") {
      for (const m of (Array.isArray(line.msg) ? line.msg : [line.msg]) as Record<string, unknown>[]) {
        if (m === null || typeof m !== "object" || m.method !== "tools/call") continue;
        const params = m.params as { name?: unknown; arguments?: unknown } | undefined;
        add(params?.name, params?.arguments ?? {});
      }
    }
  }
  return { tools: listings.tools(), recorded };
}
