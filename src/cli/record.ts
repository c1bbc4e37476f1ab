/** `mcptape record`: the stdio recorder (after `--`) or the Streamable HTTP proxy (`--upstream`). */
import { InputError } from "../errors.js";
import { claimsChoiceFrom } from "../record/jwt-claims.js";
import type { Io } from "./io.js";

export async function recordAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const tape = opts.output as string;
  if (opts.upstream) {
    if (args.length > 0) {
      throw new InputError("record takes --upstream URL or a server command after --, not both", undefined, "drop one of them");
    }
    const { recordHttp } = await import("../record/http.js");
    const { redactOptionsFrom } = await import("../tape/redact.js");
    return recordHttp({
      tape,
      upstream: opts.upstream as string,
      host: opts.host as string | undefined,
      port: portFrom(opts.port),
      identity: opts.identity as string | undefined,
      redact: redactOptionsFrom({ redact: opts.redact as boolean | undefined, redactKey: opts.redactKey as string[] | undefined }),
      claims: claimsChoiceFrom(opts.claims),
      stderr: io.stderr,
    });
  }
  if (opts.claims !== undefined) {
    throw new InputError("--claims reads the bearer tokens of HTTP requests: it works with --upstream only", undefined, "drop --claims, or record over Streamable HTTP with --upstream URL");
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

/** `--port N`: a whole number 0-65535 (0 or absent: a free port). */
function portFrom(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port <= 65535)) {
    throw new InputError(`--port ${JSON.stringify(text)} is not a port number`, undefined, "give 1-65535, or 0 (or leave it out) for a free port");
  }
  return port;
}
