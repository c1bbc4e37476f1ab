/**
 * `-` names standard input, for one tape or one policy. What comes in is copied whole to a
 * temporary file first (replay reads a tape twice: its start time, then its calls; a pipe can
 * be read once), named `stdin` in a fresh temporary folder so reports name it so, and removed
 * when the run ends (temp-files.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { trackTempFile } from "../temp-files.js";

export const STDIN = "-";

async function spool(name: string, input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  const dir = mkdtempSync(join(tmpdir(), "mcptape-stdin-"));
  const file = join(dir, name);
  trackTempFile(file, () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}

/**
 * Replaces `-` among the arguments (tapes, or policies for validate) and among the policies
 * named by flags with a spooled copy of standard input. Standard input can be read once: `-`
 * twice is bad input.
 */
export async function readStdinArgs(
  args: string[], policies: (string | undefined)[] = [], argsAre: "tapes" | "policies" = "tapes", input: NodeJS.ReadableStream = process.stdin,
): Promise<{ args: string[]; policies: (string | undefined)[] }> {
  const uses = args.filter((t) => t === STDIN).length + policies.filter((p) => p === STDIN).length;
  if (uses === 0) return { args, policies };
  if (uses > 1) throw new InputError("standard input (-) is named more than once; it can be read only once", undefined, "give one tape or one policy as -, and the others as files");
  const out: string[] = [];
  for (const t of args) out.push(t === STDIN ? await spool(argsAre === "tapes" ? "stdin.jsonl" : "stdin", input) : t);
  const named: (string | undefined)[] = [];
  for (const p of policies) named.push(p === STDIN ? await spool("stdin", input) : p);
  return { args: out, policies: named };
}
