/**
 * Inputs that can be read only once, made files: `-` (standard input, for one tape, results
 * file or policy) and a tape or results file that is a pipe (`<(zcat t.jsonl.gz)`). Both are
 * read more than once (a tape: its start time, then its calls, and its check before output; a
 * results file: its header, then its lines), so what comes in is copied to a temporary file
 * first, streamed (memory stays flat), in a fresh temporary folder under a name reports can
 * show (`stdin.jsonl`, or the pipe's own name), and removed when the run ends (temp-files.ts).
 * A policy is read once: only `-` is copied.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { InputError } from "../errors.js";
import { cannotRead, isSpecialFile } from "../files.js";
import { trackTempFile } from "../temp-files.js";

export const STDIN = "-";

async function spool(name: string, input: NodeJS.ReadableStream): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mcptape-spool-"));
  const file = join(dir, name);
  trackTempFile(file, () => rmSync(dir, { recursive: true, force: true }));
  await pipeline(input, createWriteStream(file));
  return file;
}

/** What the arguments of a command are: tapes (replay, diff), results files (merge) or policies (validate). */
export type ArgsAre = "tapes" | "results" | "policies";
const ONE: Record<ArgsAre, string> = { tapes: "tape", results: "results file", policies: "policy" };

async function spoolPipe(path: string, argsAre: ArgsAre): Promise<string> {
  try {
    return await spool(basename(path), createReadStream(path));
  } catch (err) {
    throw cannotRead(err, path, ONE[argsAre], `give a ${ONE[argsAre]} file, or a pipe that can be read`) ?? err;
  }
}

/**
 * Replaces `-` among the arguments and among the policies named by flags with a spooled copy
 * of standard input, and each tape or results file that is a pipe with a spooled copy of it.
 * Standard input can be read once: `-` twice is bad input.
 */
export async function spoolReadOnceArgs(
  args: string[], policies: (string | undefined)[] = [], argsAre: ArgsAre = "tapes", input: NodeJS.ReadableStream = process.stdin,
): Promise<{ args: string[]; policies: (string | undefined)[] }> {
  const uses = args.filter((t) => t === STDIN).length + policies.filter((p) => p === STDIN).length;
  if (uses > 1) throw new InputError("standard input (-) is named more than once; it can be read only once", undefined, "give one tape or one policy as -, and the others as files");
  const out: string[] = [];
  for (const t of args) {
    if (t === STDIN) out.push(await spool(argsAre === "policies" ? "stdin" : "stdin.jsonl", input));
    else out.push(argsAre !== "policies" && isSpecialFile(t) ? await spoolPipe(t, argsAre) : t);
  }
  const named: (string | undefined)[] = [];
  for (const p of policies) named.push(p === STDIN ? await spool("stdin", input) : p);
  return { args: out, policies: named };
}
