/** `mcptape record`: the stdio recorder (after `--`) or the Streamable HTTP proxy (`--upstream`). */
import { statSync } from "node:fs";
import { InputError } from "../errors.js";
import { claimsChoiceFrom, type ClaimsChoice } from "../record/jwt-claims.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";

export interface RecordFlags {
  /** -o: the tape to write. */
  tape: string;
  upstream: string | undefined;
  host: string | undefined;
  port: number | undefined;
  identity: string | undefined;
  redact: boolean;
  redactKey: string[];
  /** --claims: undefined when not given (it is refused on stdio, where no token passes). */
  claims: ClaimsChoice | undefined;
  /** --overwrite: a tape already at the path may be replaced. */
  overwrite: boolean;
}

export function recordFlags(values: FlagValues): RecordFlags {
  const claims = values.stringOrTrue("claims");
  return {
    tape: values.string("output") ?? "",
    upstream: values.string("upstream"),
    host: values.string("host"),
    port: portFrom(values.string("port")),
    identity: values.string("identity"),
    // --no-redact makes it false; commander sets true otherwise.
    redact: values.bool("redact"),
    redactKey: values.strings("redactKey"),
    claims: claims === undefined ? undefined : claimsChoiceFrom(claims),
    overwrite: values.bool("overwrite"),
  };
}

export const recordCommand = command(recordFlags, record);

async function record(args: string[], flags: RecordFlags, io: Io): Promise<number> {
  const { tape } = flags;
  if (tape === "-") {
    // Elsewhere `-` is standard output; here that is the stdio server's channel to the client.
    throw new InputError("-o - is not standard output for record (over stdio, standard output carries the server's messages to the client)", undefined, "give the tape a file name, or a pipe: -o >(gzip > session.jsonl.gz)");
  }
  if (flags.identity !== undefined && flags.identity.trim() === "") {
    // An unset variable (--identity "$WHO") would tape sessions with an empty name.
    throw new InputError(`--identity ${JSON.stringify(flags.identity)} names no one`, undefined, "give the caller's name, or leave --identity out (over HTTP a bearer token's hash names the caller)");
  }
  if (!flags.overwrite) refuseToReplace(tape);
  const redactOptions = async () => (await import("../tape/redact.js")).redactOptionsFrom({ redact: flags.redact, redactKey: flags.redactKey });
  if (flags.upstream) {
    if (args.length > 0) {
      throw new InputError("record takes --upstream URL or a server command after --, not both", undefined, "drop one of them");
    }
    const { recordHttp } = await import("../record/http.js");
    return recordHttp({
      tape,
      upstream: flags.upstream,
      host: flags.host,
      port: flags.port,
      identity: flags.identity,
      redact: await redactOptions(),
      claims: flags.claims,
      stderr: io.stderr,
    });
  }
  if (flags.claims !== undefined) {
    throw new InputError("--claims reads the bearer tokens of HTTP requests: it works with --upstream only", undefined, "drop --claims, or record over Streamable HTTP with --upstream URL");
  }
  for (const [flag, given] of [["--port", flags.port], ["--host", flags.host]] as const) {
    if (given !== undefined) {
      throw new InputError(`${flag} is where the Streamable HTTP proxy listens: it works with --upstream only`, undefined, `drop ${flag}, or record over Streamable HTTP with --upstream URL`);
    }
  }
  if (args.length === 0) {
    throw new InputError("no server command to record", undefined, "write the server command after --, like: mcptape record -o session.jsonl -- node server.js");
  }
  const { recordStdio } = await import("../record/stdio.js");
  return recordStdio({
    tape,
    command: args,
    identity: flags.identity,
    redact: await redactOptions(),
    stdin: process.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
  });
}

/**
 * A recording is often the only copy of what happened (an incident, a session hard to stage
 * again): a file already holding something is not replaced unless --overwrite says so. An empty
 * file, a device or a pipe (`-o >(gzip > t.jsonl.gz)`) is written as ever.
 */
function refuseToReplace(tape: string): void {
  let found;
  try {
    found = statSync(tape, { throwIfNoEntry: false });
  } catch {
    // Not there to replace (a file where a folder should be: ENOTDIR; no permission): opening the tape says what is wrong.
    return;
  }
  if (found?.isFile() && found.size > 0) {
    throw new InputError(`a file is already there (${found.size} bytes): recording would replace it`, { file: tape }, "give -o another path, or add --overwrite to replace it");
  }
}

/** `--port N`: a whole number 0-65535 (0 or absent: a free port). */
function portFrom(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port <= 65535)) {
    throw new InputError(`--port ${JSON.stringify(text)} is not a port number`, undefined, "give 1-65535, or 0 (or leave it out) for a free port");
  }
  return port;
}
