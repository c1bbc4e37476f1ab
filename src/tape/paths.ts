/**
 * Tape arguments: files as given, directories as every `.jsonl` below them in name order
 * (files.ts filesBelow: links followed, hidden names left out). A tape named twice (as a file
 * and in its folder, or by two links) is one tape, where first named: replayed twice it would
 * count its calls twice, and under --together run against itself.
 */
import { realpathSync, statSync } from "node:fs";
import { InputError } from "../errors.js";
import { filesBelow } from "../files.js";

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
      out.push(path);
      continue;
    }
    const found = filesBelow(path, (name) => name.endsWith(".jsonl"));
    if (found.length === 0) {
      throw new InputError(`no .jsonl tapes in folder ${path}`, { file: path }, "record one with mcptape record, or name the tape files");
    }
    out.push(...found);
  }
  const seen = new Set<string>();
  return out.filter((path) => {
    const real = realpathSync(path);
    return !seen.has(real) && seen.add(real);
  });
}
