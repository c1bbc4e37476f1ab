/**
 * `mcptape import intercept-audit`: an Intercept audit log becomes a tape of `call` lines,
 * each with what Intercept decided (`recorded`) and the arguments' hash (their values are not
 * logged). Each Intercept instance (one log file each, but logs may be concatenated) is a
 * session. Streams: memory does not grow with the log.
 */
import { createHash } from "node:crypto";
import { createReadStream, renameSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { InputError } from "../errors.js";
import type { DecisionKind } from "../engine/types.js";
import { nowIso, TapeWriter } from "../tape/writer.js";
import { VERSION } from "../version.js";
import { parseAuditLine, recordedDecisionOf, type AuditEvent, type ToolCallEvent } from "./audit-event.js";

export interface ImportSummary {
  calls: number;
  decisions: Record<DecisionKind, number>;
  /** Calls logged without args_hash: Intercept omits it when a call has no arguments. */
  withoutArguments: number;
  sessions: number;
  /** Events that are not tool calls, by type (startup, heartbeat, …). */
  skipped: Record<string, number>;
}

export interface ImportOptions {
  /** Told about things worth knowing that do not stop the import (policy reloads, a cut last line). */
  onNote?: (note: string) => void;
}

export async function importInterceptAudit(log: string, tape: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const note = options.onNote ?? (() => {});
  const endsWithNewline = await lastByteIsNewline(log);
  const summary: ImportSummary = {
    calls: 0, decisions: { allow: 0, deny: 0, throttle: 0, approval: 0, undecided: 0 }, withoutArguments: 0, sessions: 0, skipped: {},
  };
  const sessions = new Set<string>();
  let writer: TapeWriter | undefined;
  let lastT: number | undefined;
  let lineNo = 0;
  /** A bad line is an error unless it is the last one and the file does not end in a newline (cut short). */
  let pending: InputError | undefined;

  const input = createReadStream(log, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      lineNo++;
      if (pending) throw pending;
      if (text.trim() === "") continue;
      let event: AuditEvent | ToolCallEvent;
      try {
        event = parseAuditLine(text, log, lineNo);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        pending = err;
        continue;
      }
      writer ??= await openTape(tape, event.t, text);
      lastT = event.t;
      if (!sessions.has(event.instance)) {
        sessions.add(event.instance);
        writer.write({ kind: "session", session: event.instance, t: nowIso(event.t) });
      }
      if (event.type !== "tool_call") {
        summary.skipped[event.type] = (summary.skipped[event.type] ?? 0) + 1;
        if (event.type === "config_reload") {
          note(`${log}:${lineNo}: the policy was reloaded here; decisions recorded after this line came from the new policy`);
        }
        continue;
      }
      writeCall(writer, event as ToolCallEvent, summary);
    }
    if (pending) {
      if (endsWithNewline) throw pending;
      note(`${log}:${lineNo}: the last line is cut short (was the log still being written?); it is left out`);
    }
  } catch (err) {
    writer?.close({ reason: "error" });
    if (writer) rmSync(writer.path, { force: true });
    throw readError(err, log);
  } finally {
    lines.close();
    input.destroy();
  }
  writer ??= await openTape(tape, Date.now(), "");
  writer.close({ reason: "closed", t: nowIso(lastT ?? Date.now()) });
  try {
    renameSync(writer.path, tape);
  } catch (err) {
    rmSync(writer.path, { force: true });
    throw new InputError(`cannot write the tape: ${(err as Error).message}`, { file: tape }, "check the path given with -o/--output");
  }
  summary.sessions = sessions.size;
  return summary;
}

function writeCall(writer: TapeWriter, e: ToolCallEvent, summary: ImportSummary): void {
  const recorded = recordedDecisionOf(e);
  // No args_hash means the call had no arguments (Intercept's HashArgs is "" for an empty map),
  // so those are known exactly: {}.
  const argsPart = e.argsHash !== undefined ? { argsHash: e.argsHash } : { args: {} };
  writer.write({ kind: "call", t: nowIso(e.t), session: e.instance, tool: e.tool, recorded, ...argsPart });
  summary.calls++;
  summary.decisions[recorded.decision]++;
  if (e.argsHash === undefined) summary.withoutArguments++;
}

/**
 * The tape starts when the log does; its id comes from the log's first line, so importing twice
 * gives the same tape. It is written beside `tape` and renamed over it once whole, so a log that
 * turns out bad half-way leaves a tape already at that path as it was.
 */
async function openTape(tape: string, t: number, firstLine: string): Promise<TapeWriter> {
  const id = `intercept-audit-${createHash("sha256").update(firstLine).digest("hex").slice(0, 16)}`;
  try {
    return await TapeWriter.open(join(dirname(tape), `.${basename(tape)}.${process.pid}.importing`), { id, t: nowIso(t), recorder: { name: "mcptape import", version: VERSION }, transport: "import" });
  } catch (err) {
    throw new InputError(`cannot write the tape: ${(err as Error).message}`, { file: tape }, "check the path given with -o/--output");
  }
}

async function lastByteIsNewline(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, "r");
    const { size } = await handle.stat();
    if (size === 0) return true;
    const buf = Buffer.alloc(1);
    await handle.read(buf, 0, 1, size - 1);
    return buf[0] === 0x0a;
  } catch (err) {
    throw readError(err, path);
  } finally {
    await handle?.close();
  }
}

function readError(err: unknown, path: string): unknown {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new InputError("no such audit log", { file: path }, "Intercept writes them to ~/.intercept/events/<instance>.jsonl");
  if (code === "EISDIR") return new InputError("is a directory, not an audit log", { file: path }, "name one <instance>.jsonl file");
  if (code === "EACCES") return new InputError("cannot read the audit log: permission denied", { file: path });
  return err;
}
