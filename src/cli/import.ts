/** `mcptape import KIND LOG -o TAPE`: a gateway's audit log becomes a tape. */
import { InputError } from "../errors.js";
import { importInterceptAudit, type ImportSummary } from "../import/intercept-audit.js";
import { importToolhiveAudit, type ToolhiveImportSummary } from "../import/toolhive-audit.js";
import { redactOptionsFrom } from "../tape/redact.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";

const KINDS = ["intercept-audit", "toolhive-audit"] as const;
const USAGE = "write mcptape import intercept-audit ~/.intercept/events/<instance>.jsonl -o audit.jsonl, or mcptape import toolhive-audit audit.log -o audit.jsonl";

export interface ImportFlags {
  /** -o: the tape to write. */
  output: string | undefined;
  /** False with --no-redact. */
  redact: boolean;
  redactKey: string[];
}

export const importCommand = command((values: FlagValues): ImportFlags => ({
  output: values.string("output"),
  redact: values.optionalBool("redact") !== false,
  redactKey: values.strings("redactKey"),
}), importLog);

async function importLog(args: string[], flags: ImportFlags, io: Io): Promise<number> {
  const [kind, log, ...extra] = args;
  if (kind === undefined || !(KINDS as readonly string[]).includes(kind)) {
    throw new InputError(`unknown import kind ${JSON.stringify(kind ?? "")}`, undefined, `kinds: ${KINDS.join(", ")}; ${USAGE}`);
  }
  if (log === undefined || log === "") throw new InputError("name the audit log to import", undefined, USAGE);
  if (extra.length > 0) throw new InputError(`one audit log at a time; got also ${extra.join(" ")}`, undefined, USAGE);
  const { output } = flags;
  if (output === undefined || output === "") throw new InputError("-o/--output is required: the tape to write", undefined, USAGE);

  const redactFlags = !flags.redact || flags.redactKey.length > 0;
  if (kind === "intercept-audit" && redactFlags) {
    throw new InputError("an Intercept audit log keeps no argument values (only their hash): there is nothing to redact", undefined, "drop --no-redact and --redact-key");
  }
  const options = { onNote: (n: string) => io.stderr.write(`mcptape: note: ${n}\n`) };
  const what = kind === "toolhive-audit"
    ? describeToolhive(await importToolhiveAudit(log, output, { ...options, redact: redactOptionsFrom(flags) }))
    : describe(await importInterceptAudit(log, output, options));
  io.stderr.write(`mcptape: ${what}; wrote ${output}\n`);
  return 0;
}

export function describe(s: ImportSummary): string {
  let out = imported(s, "instance");
  if (s.calls > s.withoutArguments) out += `; ${s.calls - s.withoutArguments} with arguments known only by hash`;
  return out + skippedText(s.skipped);
}

export function describeToolhive(s: ToolhiveImportSummary): string {
  let out = imported(s, "subject");
  if (s.argsUnlogged > 0) out += `; ${s.argsUnlogged} without arguments (the log holds no request body: includeRequestData, maxDataSize)`;
  const inferred = s.throttlesInferred;
  if (inferred > 0) out += `; ${inferred === 1 ? "1 failure taken as a 429 throttle" : `${inferred} failures taken as 429 throttles`} with no logged response to prove it (includeResponseData)`;
  return out + skippedText(s.skipped);
}

function imported(s: { calls: number; decisions: ImportSummary["decisions"]; sessions: number }, source: string): string {
  const d = s.decisions;
  const kinds = [`${d.allow} allowed`, `${d.deny} denied`, `${d.throttle} throttled`].join(", ");
  return `imported ${s.calls} tool call${s.calls === 1 ? "" : "s"} (${kinds}) from ${s.sessions} ${source}${s.sessions === 1 ? "" : "s"}`;
}

function skippedText(skipped: Record<string, number>): string {
  const list = Object.entries(skipped).map(([type, n]) => `${n} ${type}`).join(", ");
  return list ? `; skipped ${list} event${Object.values(skipped).reduce((a, b) => a + b, 0) === 1 ? "" : "s"}` : "";
}
