/**
 * Turns a tape's lines into the events a gateway reacts to: calls, answers, identities and
 * claims, the tools a server listed.
 * `tools/call` requests come from `c2s` messages (batches included); their answers are the
 * `s2c` responses with the same id in the same session. Ids are per direction, so a server's
 * request with id 0 never pairs with the client's. A `tools/list` answer pairs the same way,
 * through the tape's `listings` (the keys of tools/list requests still unanswered).
 */
import type { TapeLine } from "../tape/schema.js";
import { pairingKey } from "../tape/pairing.js";
import { toolsOfList } from "../tape/tools.js";
import type { ReplayEvent } from "./types.js";

export interface LineAt {
  line: TapeLine;
  lineNo: number;
}

/** Events of one tape line, in the order they happened (a batch's items in array order). */
export function eventsOfLine({ line, lineNo }: LineAt, tape: string, listings: Set<string> = new Set()): ReplayEvent[] {
  switch (line.kind) {
    case "session":
      return [{ type: "session", t: Date.parse(line.t), session: line.session, identity: line.identity, ...(line.claims ? { claims: line.claims } : {}) }];
    case "call": {
      const t = Date.parse(line.t);
      return [
        {
          type: "call",
          t,
          session: line.session,
          seq: line.seq,
          tool: line.tool,
          args: line.args ?? {},
          ...(line.args === undefined && line.argsHash !== undefined ? { argsUnknown: true } : {}),
          answer: {
            outcome: line.outcome ?? "ok",
            latencyMs: line.latencyMs ?? 0,
            recorded: line.recorded ?? null,
          },
          tape,
          line: lineNo,
        },
      ];
    }
    case "msg": {
      const t = Date.parse(line.t);
      const items = Array.isArray(line.msg) ? line.msg : [line.msg];
      const events: ReplayEvent[] = [];
      for (const item of items) {
        if (item === null || typeof item !== "object") continue;
        const m = item as Record<string, unknown>;
        if (line.dir === "c2s" && m.method === "tools/call" && m.id !== undefined) {
          const params = (m.params ?? {}) as { name?: unknown; arguments?: unknown };
          if (typeof params.name !== "string") continue;
          events.push({
            type: "call",
            t,
            session: line.session,
            seq: line.seq,
            tool: params.name,
            args: params.arguments ?? {},
            key: pairingKey(tape, line.session, m.id),
            tape,
            line: lineNo,
          });
        } else if (line.dir === "c2s" && m.method === "tools/list" && m.id !== undefined) {
          listings.add(pairingKey(tape, line.session, m.id));
        } else if (line.dir === "s2c" && m.id !== undefined && m.method === undefined && ("result" in m || "error" in m)) {
          const key = pairingKey(tape, line.session, m.id);
          if (listings.delete(key)) {
            const list = (m.result as { tools?: unknown } | undefined)?.tools;
            if (Array.isArray(list)) events.push({ type: "tools", t, tools: toolsOfList(list, tape) });
            continue;
          }
          events.push({ type: "answer", t, key, response: m, ...(line.http !== undefined ? { http: line.http } : {}) });
        }
      }
      return events;
    }
    default:
      return [];
  }
}
