/**
 * Tape arguments: files as given, directories as every `.jsonl` below them in name order
 * (files.ts filesBelow: links followed, hidden names left out). A tape named twice (as a file
 * and in its folder, or by two links) is one tape, where first named: replayed twice it would
 * count its calls twice, and under --together run against itself.
 */
import { realpathSync, statSync } from "node:fs";
import { InputError } from "../errors.js";
import { filesBelow } from "../files.js";
import { compressedByName, unpackedByName } from "./compressed.js";

export function expandTapePaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new InputError(`no such tape or folder: ${path}`, { file: path }, "give a .jsonl tape or a folder of them");
    }
    if (!isDir) {
      if (compressedByName(path)) throw new InputError("the tape is compressed; mcptape reads tapes as text", { file: path }, `read it through a pipe: ${unpackedByName(path)}`);
      out.push(path);
      continue;
    }
    const found = filesBelow(path, (name) => name.endsWith(".jsonl"));
    if (found.length === 0) {
      const compressed = filesBelow(path, compressedByName);
      const hint = compressed.length > 0 ? `the tapes below it are compressed: read each through a pipe, ${unpackedByName(compressed[0]!)}` : "record one with mcptape record, or name the tape files";
      throw new InputError(`no .jsonl tapes in folder ${path}`, { file: path }, hint);
    }
    out.push(...found);
  }
  const seen = new Set<string>();
  return out.filter((path) => {
    const real = realpathSync(path);
    return !seen.has(real) && seen.add(real);
  });
}
