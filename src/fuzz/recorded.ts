/** Arguments of the `tools/call` requests in a tape, per tool: bases for mutation. */
import { readTape } from "../tape/reader.js";

/** At most this many distinct argument objects per tool (the first seen). */
const KEEP = 200;

export async function recordedArguments(tape: string): Promise<Map<string, unknown[]>> {
  const out = new Map<string, unknown[]>();
  const seen = new Set<string>();
  const add = (tool: unknown, args: unknown) => {
    if (typeof tool !== "string" || args === undefined) return;
    const key = `${tool}\u0000${JSON.stringify(args)}`;
    if (seen.has(key)) return;
    seen.add(key);
    let list = out.get(tool);
    if (list === undefined) out.set(tool, (list = []));
    if (list.length < KEEP) list.push(args);
  };
  for await (const { line } of readTape(tape)) {
    if (line.kind === "call") add(line.tool, line.args);
    else if (line.kind === "msg" && line.dir === "c2s") {
      for (const m of (Array.isArray(line.msg) ? line.msg : [line.msg]) as Record<string, unknown>[]) {
        if (m === null || typeof m !== "object" || m.method !== "tools/call") continue;
        const params = m.params as { name?: unknown; arguments?: unknown } | undefined;
        add(params?.name, params?.arguments ?? {});
      }
    }
  }
  return out;
}
