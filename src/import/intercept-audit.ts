/**
 * `mcptape import intercept-audit`: an Intercept audit log becomes a tape of `call` lines,
 * each with what Intercept decided (`recorded`) and the arguments' hash (their values are not
 * logged). Each Intercept instance (one log file each, but logs may be concatenated) is a
 * session. Streams: memory does not grow with the log.
 */
import type { DecisionKind } from "../engine/types.js";
import { nowIso, type TapeWriter } from "../tape/writer.js";
import { parseAuditLine, recordedDecisionOf, type AuditEvent, type ToolCallEvent } from "./audit-event.js";
import { importLog, logName, type LogImportOptions } from "./log-import.js";

export interface ImportSummary {
  calls: number;
  decisions: Record<DecisionKind, number>;
  /** Calls logged without args_hash: Intercept omits it when a call has no arguments. */
  withoutArguments: number;
  sessions: number;
  /** Events that are not tool calls, by type (startup, heartbeat, …). */
  skipped: Record<string, number>;
}

export type ImportOptions = LogImportOptions;

export async function importInterceptAudit(log: string, tape: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const note = options.onNote ?? (() => {});
  const summary: ImportSummary = {
    calls: 0, decisions: { allow: 0, deny: 0, throttle: 0, approval: 0, undecided: 0 }, withoutArguments: 0, sessions: 0, skipped: {},
  };
  const sessions = new Set<string>();
  await importLog<AuditEvent | ToolCallEvent>(log, tape, {
    idPrefix: "intercept-audit",
    whereLogsAre: "Intercept writes them to ~/.intercept/events/<instance>.jsonl",
    parse: parseAuditLine,
    write(event, writer, lineNo) {
      if (!sessions.has(event.instance)) {
        sessions.add(event.instance);
        writer.write({ kind: "session", session: event.instance, t: nowIso(event.t) });
      }
      if (event.type !== "tool_call") {
        summary.skipped[event.type] = (summary.skipped[event.type] ?? 0) + 1;
        if (event.type === "config_reload") note(`${logName(log)}:${lineNo}: ${reloadNote(event)}`);
        return;
      }
      writeCall(writer, event as ToolCallEvent, summary);
    },
  }, options);
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
 * A reload that failed left the policy in force as it was (PolicyLayer/Intercept cmd/root.go:
 * the watcher's error callback emits `status: failure` and swaps nothing), so only a reload
 * that did not fail starts decisions from another policy.
 */
function reloadNote(e: AuditEvent): string {
  if (e.status === "failure") {
    return `a policy reload failed here${e.message ? ` (${e.message})` : ""}; Intercept went on deciding with the policy it had`;
  }
  return "the policy was reloaded here; decisions recorded after this line came from the new policy";
}
