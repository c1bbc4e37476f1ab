/** The streams a command writes to, and the `--report FORMAT=FILE` flag (see outputs.ts for how outputs are written). */
import type { Writable } from "node:stream";
import { resolve } from "node:path";
import { InputError } from "../errors.js";
import { isSpecialFile } from "../files.js";

export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
}

const guarded = new WeakSet<Writable>();

/**
 * The one rule for every write to a pipe (help, reports, errors): a reader that goes away
 * (`| head -1`) is a normal end, not a crash. Later writes to the closed pipe are dropped.
 */
export function endQuietlyOnEpipe(stream: Writable): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") return;
    // A report's Sink listens too, and says what failed with exit 2 (sink.ts).
    if (stream.listenerCount("error") > 1) return;
    throw err;
  });
}

export interface ReportTarget {
  format: string;
  file: string;
}

export function isReportTargets(v: unknown): v is ReportTarget[] {
  return Array.isArray(v) && v.every((t) => typeof t === "object" && t !== null && typeof t.format === "string" && typeof t.file === "string");
}

/** Parses one `--report FORMAT=FILE` value (commander collects them into a list). */
export function parseReportTarget(value: string, previous: ReportTarget[] = []): ReportTarget[] {
  const eq = value.indexOf("=");
  if (eq <= 0 || eq === value.length - 1) {
    throw new InputError(
      `--report ${JSON.stringify(value)} is not FORMAT=FILE`,
      undefined,
      "write it like --report junit=results.xml",
    );
  }
  const target = { format: value.slice(0, eq), file: value.slice(eq + 1) };
  const twice = previous.find((r) => sameReportFile(r.file, target.file));
  if (twice) throw writtenTwice(`--report ${twice.format}=${twice.file}`, `--report ${value}`);
  return [...previous, target];
}

/** Two outputs of one run (`-o`, `--report`) naming one file: the later would replace the earlier. */
export function writtenTwice(first: string, second: string): InputError {
  return new InputError(`${first} and ${second} write the same file`, undefined, "give each report a file of its own: the later would replace the earlier");
}

/** Two report paths name one file that a run would write twice (a device, `/dev/null`, takes both). */
export function sameReportFile(a: string, b: string): boolean {
  return resolve(a) === resolve(b) && !isSpecialFile(a);
}
