/** `mcptape record`: the stdio recorder (after `--`) or the Streamable HTTP proxy (`--upstream`). */
import { InputError } from "../errors.js";
import type { Io } from "./io.js";

export async function recordAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const tape = opts.output as string;
  if (opts.upstream) {
    throw new InputError("recording over Streamable HTTP (--upstream) is not built yet", undefined, "record a stdio server: mcptape record -o TAPE -- CMD ARGS");
  }
  if (args.length === 0) {
    throw new InputError("no server command to record", undefined, "write the server command after --, like: mcptape record -o session.jsonl -- node server.js");
  }
  const { recordStdio } = await import("../record/stdio.js");
  const { redactOptionsFrom } = await import("../tape/redact.js");
  return recordStdio({
    tape,
    command: args,
    identity: opts.identity as string | undefined,
    redact: redactOptionsFrom({ redact: opts.redact as boolean | undefined, redactKey: opts.redactKey as string[] | undefined }),
    stdin: process.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
  });
}
