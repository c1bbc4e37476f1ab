/**
 * A scenario's inline `calls:`. Times are absolute or offsets from the call before; the first
 * call without `t` is at 2026-01-01T00:00:00Z and a later one without `t` at the time of the
 * call before it. Calls are returned in time order (stable: equal times keep list order),
 * which is the order a gateway would see them in.
 */
import type { YNode } from "../yaml-source.js";
import { toPlain } from "../yaml-source.js";
import type { Outcome } from "../replay/types.js";
import { FIRST_CALL_AT, parseCallTime } from "./call-time.js";
import type { ScenarioReader } from "./reader.js";
import type { InlineCall } from "./types.js";

const CALL_KEYS = ["t", "tool", "args", "session", "identity", "claims", "outcome", "latencyMs"] as const;
const OUTCOMES: readonly Outcome[] = ["ok", "error", "isError"];
export const DEFAULT_SESSION = "s1";

export function readCalls(r: ScenarioReader, node: YNode): InlineCall[] {
  const list = r.seq(node, "calls", "calls: [{t: \"+30s\", tool: create_issue, args: {title: a}}]");
  const calls: InlineCall[] = [];
  let previous: number | undefined;
  list.items.forEach((item, i) => {
    const m = r.map(item, `call ${i + 1}`, "{tool: create_issue, args: {title: a}}");
    r.keys(m, CALL_KEYS, "an inline call");
    const toolNode = r.get(m, "tool");
    if (!toolNode) r.fail(m, `call ${i + 1} names no tool`, "add tool: <name>");
    const tool = r.string(toolNode, "tool", "tool: create_issue");

    let t = previous ?? FIRST_CALL_AT;
    const tNode = r.get(m, "t");
    if (tNode) {
      const parsed = parseCallTime(r.string(tNode, "t", '"+30s"'));
      if ("error" in parsed) r.fail(tNode, parsed.error, parsed.hint);
      t = parsed.kind === "absolute" ? parsed.t : (previous ?? FIRST_CALL_AT) + parsed.ms;
      // Offsets add up: past year 275760 a time has no ISO form, and every report prints one.
      if (Number.isNaN(new Date(t).getTime())) {
        r.fail(tNode, `offset ${JSON.stringify(r.string(tNode, "t", '"+30s"'))} moves the call past the last date a clock can show`, "use a smaller offset or an absolute time");
      }
    }
    previous = t;

    const argsNode = r.get(m, "args");
    let args: unknown = {};
    if (argsNode && !(argsNode.kind === "scalar" && argsNode.value === null)) {
      args = toPlain(r.map(argsNode, "args", "args: {title: a}"));
    }
    const sessionNode = r.get(m, "session");
    const identityNode = r.get(m, "identity");
    const claimsNode = r.get(m, "claims");
    const outcomeNode = r.get(m, "outcome");
    const latencyNode = r.get(m, "latencyMs");
    calls.push({
      t,
      tool,
      args,
      session: sessionNode ? r.string(sessionNode, "session", "session: s2") : DEFAULT_SESSION,
      identity: identityNode ? r.string(identityNode, "identity", "identity: bob") : undefined,
      ...(claimsNode ? { claims: toPlain(r.map(claimsNode, "claims", "claims: {sub: alice, groups: [finance]}")) as Record<string, unknown> } : {}),
      outcome: outcomeNode ? r.oneOf(outcomeNode, "outcome", OUTCOMES) : "ok",
      latencyMs: latencyNode ? r.int(latencyNode, "latencyMs", 0) : 0,
      index: i + 1,
      at: r.at(m),
    });
  });
  return calls.map((c, i) => ({ c, i })).sort((a, b) => a.c.t - b.c.t || a.i - b.i).map(({ c }) => c);
}
