/**
 * Turns a tape's lines into the events a gateway reacts to: calls, answers, identities and
 * claims, the tools a server listed.
 * `tools/call` requests come from `c2s` messages (batches included); their answers are the
 * `s2c` responses with the same id in the same session. Ids are per direction, so a server's
 * request with id 0 never pairs with the client's. A `tools/list` answer pairs the same way,
 * through the tape's `listings` (the keys of tools/list requests still unanswered). An HTTP
 * 429 whose body names no id (a bare `Too Many Requests`, a `raw` line) answers the request
 * its line's `answers` names: a gateway in the path throttled that call.
 */
import type { MsgLine, RawLine } from "../tape/schema.js";
import type { NumberedLine } from "../tape/line-parser.js";
import { pairingKey } from "../tape/pairing.js";
import { toolsOfList } from "../tape/tools.js";
import type { Clock } from "./clock.js";
import type { AnswerEvent, CallEvent, ReplayEvent } from "./types.js";

/** The length of a time as `Date.prototype.toISOString` writes it (2026-11-21T23:40:23.123Z). */
const ISO_LENGTH = 24;

/** A tape whose events are being made. */
export interface TapeEvents {
  /** Its path, as reports name it. */
  path: string;
  /**
   * What tells it apart from the other tapes of its gateway run in pairing keys (`--together`
   * runs several): a short tag, not the path, as each call's key is built and hashed twice.
   */
  tag: string;
  clock: Clock;
  /** The keys of its tools/list requests still unanswered. */
  listings: Set<string>;
}

/**
 * Appends the events of one tape line to `out`, in the order they happened (a batch's items
 * in array order), at their time on the tape's clock.
 */
export function eventsOfLine({ line, lineNo, t: recorded }: NumberedLine, tape: TapeEvents, out: ReplayEvent[]): void {
  const clock = tape.clock;
  switch (line.kind) {
    case "session":
      out.push({ type: "session", t: clock(recorded), session: line.session, identity: line.identity, ...(line.claims ? { claims: line.claims } : {}) });
      return;
    case "call": {
      const event: CallEvent = {
        type: "call",
        t: clock(recorded),
        session: line.session,
        seq: line.seq,
        tool: line.tool,
        args: line.args ?? {},
        answer: {
          outcome: line.outcome ?? "ok",
          latencyMs: line.latencyMs ?? 0,
          recorded: line.recorded ?? null,
        },
        tape: tape.path,
        line: lineNo,
      };
      if (line.args === undefined && line.argsHash !== undefined) event.argsUnknown = true;
      const time = timeText(line.t, clock);
      if (time !== undefined) event.time = time;
      out.push(event);
      return;
    }
    case "msg": {
      const t = clock(recorded);
      if (line.answers !== undefined) bareAnswer(line, t, tape, out);
      else if (!Array.isArray(line.msg)) messageEvent(line.msg, line, lineNo, t, tape, out);
      else for (const item of line.msg as unknown[]) messageEvent(item, line, lineNo, t, tape, out);
      return;
    }
    case "raw":
      bareAnswer(line, clock(recorded), tape, out);
      return;
    default:
      return;
  }
}

/** The event of one JSON-RPC message (a line's, or one item of its batch), if it makes one. */
function messageEvent(item: unknown, line: MsgLine, lineNo: number, t: number, tape: TapeEvents, out: ReplayEvent[]): void {
  if (item === null || typeof item !== "object") return;
  const m = item as Record<string, unknown>;
  if (line.dir === "c2s" && m.method === "tools/call" && m.id !== undefined) {
    const params = (m.params ?? {}) as { name?: unknown; arguments?: unknown };
    if (typeof params.name !== "string") return;
    const event: CallEvent = {
      type: "call",
      t,
      session: line.session,
      seq: line.seq,
      tool: params.name,
      args: params.arguments ?? {},
      key: pairingKey(tape.tag, line.session, m.id),
      tape: tape.path,
      line: lineNo,
    };
    const time = timeText(line.t, tape.clock);
    if (time !== undefined) event.time = time;
    out.push(event);
  } else if (line.dir === "c2s" && m.method === "tools/list" && m.id !== undefined) {
    tape.listings.add(pairingKey(tape.tag, line.session, m.id));
  } else if (line.dir === "s2c" && m.id !== undefined && m.method === undefined && ("result" in m || "error" in m)) {
    const key = pairingKey(tape.tag, line.session, m.id);
    if (tape.listings.delete(key)) {
      const list = (m.result as { tools?: unknown } | undefined)?.tools;
      if (Array.isArray(list)) out.push({ type: "tools", t, tools: toolsOfList(list, tape.path) });
      return;
    }
    const answer: AnswerEvent = { type: "answer", t, key, response: m };
    if (line.http !== undefined) answer.http = line.http;
    out.push(answer);
  }
}

/**
 * A 429 answer that names no id answers the request its `answers` names (an id-less JSON
 * body keeps its error, if any). Other statuses without an id say nothing of a decision.
 */
function bareAnswer(line: MsgLine | RawLine, t: number, tape: TapeEvents, out: ReplayEvent[]): void {
  if (line.dir !== "s2c" || line.http !== 429 || line.answers === undefined) return;
  const error = line.kind === "msg" ? (line.msg as { error?: unknown } | null)?.error : undefined;
  const text = line.kind === "raw" ? line.text.trim() : "";
  const response = typeof error === "object" && error !== null ? { error } : text !== "" ? { error: { message: text } } : {};
  out.push({ type: "answer", t, key: pairingKey(tape.tag, line.session, line.answers), response, http: line.http });
}

/** The tape's text of a time, when it is exactly what a report would write for its replay time. */
function timeText(text: string, clock: Clock): string | undefined {
  return clock.keepsTime && text.length === ISO_LENGTH ? text : undefined;
}
