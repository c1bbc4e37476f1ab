/** Tape arguments: files as given, directories as every `.jsonl` below them in name order. */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.js";

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
    const found = listJsonl(path);
    if (found.length === 0) {
      throw new InputError(`no .jsonl tapes in folder ${path}`, { file: path }, "record one with mcptape record, or name the tape files");
    }
    out.push(...found);
  }
  return out;
}

function listJsonl(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...listJsonl(full));
    else if (e.isFile() && e.name.endsWith(".jsonl")) out.push(full);
  }
  return out;
}
