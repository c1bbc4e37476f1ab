/** `mcptape import KIND LOG -o TAPE`: a gateway's audit log becomes a tape. */
import { InputError } from "../errors.js";
import { importInterceptAudit, type ImportSummary } from "../import/intercept-audit.js";
import type { Io } from "./io.js";

const KINDS = ["intercept-audit"] as const;
const USAGE = "write mcptape import intercept-audit ~/.intercept/events/<instance>.jsonl -o audit.jsonl";

export async function importAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const [kind, log, ...extra] = args;
  if (kind === undefined || !(KINDS as readonly string[]).includes(kind)) {
    throw new InputError(`unknown import kind ${JSON.stringify(kind ?? "")}`, undefined, `kinds: ${KINDS.join(", ")}; ${USAGE}`);
  }
  if (log === undefined || log === "") throw new InputError("name the audit log to import", undefined, USAGE);
  if (extra.length > 0) throw new InputError(`one audit log at a time; got also ${extra.join(" ")}`, undefined, USAGE);
  const output = opts.output;
  if (typeof output !== "string" || output === "") throw new InputError("-o/--output is required: the tape to write", undefined, USAGE);

  const summary = await importInterceptAudit(log, output, { onNote: (n) => io.stderr.write(`mcptape: note: ${n}\n`) });
  io.stderr.write(`mcptape: ${describe(summary)}; wrote ${output}\n`);
  return 0;
}

export function describe(s: ImportSummary): string {
  const d = s.decisions;
  const kinds = [`${d.allow} allowed`, `${d.deny} denied`, `${d.throttle} throttled`].join(", ");
  const skipped = Object.entries(s.skipped).map(([type, n]) => `${n} ${type}`).join(", ");
  let out = `imported ${s.calls} tool call${s.calls === 1 ? "" : "s"} (${kinds}) from ${s.sessions} instance${s.sessions === 1 ? "" : "s"}`;
  if (s.calls > s.withoutArguments) out += `; ${s.calls - s.withoutArguments} with arguments known only by hash`;
  if (skipped) out += `; skipped ${skipped} event${Object.values(s.skipped).reduce((a, b) => a + b, 0) === 1 ? "" : "s"}`;
  return out;
}
