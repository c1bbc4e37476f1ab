/**
 * Inputs that can be read only once, made files: `-` (standard input, for one tape or one
 * policy) and a tape that is a pipe (`<(zcat t.jsonl.gz)`). A tape is read more than once (its
 * start time, then its calls; its check before output), so what comes in is copied to a
 * temporary file first, streamed (memory stays flat), in a fresh temporary folder under a name
 * reports can show (`stdin.jsonl`, or the pipe's own name), and removed when the run ends
 * (temp-files.ts).
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { InputError } from "../errors.js";
import { cannotRead } from "../files.js";
import { trackTempFile } from "../temp-files.js";

export const STDIN = "-";

async function spool(name: string, input: NodeJS.ReadableStream): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mcptape-spool-"));
  const file = join(dir, name);
  trackTempFile(file, () => rmSync(dir, { recursive: true, force: true }));
  await pipeline(input, createWriteStream(file));
  return file;
}

/** A pipe, a socket or a device such as /dev/stdin: a tape there can be read only once. */
function readOnce(path: string): boolean {
  try {
    const stat = statSync(path);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false; // the reader says what is wrong with it
  }
}

async function spoolPipe(tape: string): Promise<string> {
  try {
    return await spool(basename(tape), createReadStream(tape));
  } catch (err) {
    throw cannotRead(err, tape, "tape", "give a tape file, or a pipe that can be read") ?? err;
  }
}

/**
 * Replaces `-` among the arguments (tapes, or policies for validate) and among the policies
 * named by flags with a spooled copy of standard input, and each tape that is a pipe with a
 * spooled copy of it. Standard input can be read once: `-` twice is bad input.
 */
export async function spoolReadOnceArgs(
  args: string[], policies: (string | undefined)[] = [], argsAre: "tapes" | "policies" = "tapes", input: NodeJS.ReadableStream = process.stdin,
): Promise<{ args: string[]; policies: (string | undefined)[] }> {
  const uses = args.filter((t) => t === STDIN).length + policies.filter((p) => p === STDIN).length;
  if (uses > 1) throw new InputError("standard input (-) is named more than once; it can be read only once", undefined, "give one tape or one policy as -, and the others as files");
  const out: string[] = [];
  for (const t of args) {
    if (t === STDIN) out.push(await spool(argsAre === "tapes" ? "stdin.jsonl" : "stdin", input));
    else out.push(argsAre === "tapes" && readOnce(t) ? await spoolPipe(t) : t);
  }
  const named: (string | undefined)[] = [];
  for (const p of policies) named.push(p === STDIN ? await spool("stdin", input) : p);
  return { args: out, policies: named };
}
