/**
 * Tape arguments: files as given, directories as every `.jsonl` below them in name order
 * (files.ts filesBelow: links followed, hidden names left out). A tape named twice (as a file
 * and in its folder, or by two links) is one tape, where first named: replayed twice it would
 * count its calls twice, and under --together run against itself.
 */
import { realpathSync, statSync } from "node:fs";
import { InputError } from "../errors.js";
import { filesBelow } from "../files.js";

/** A tape compressed by gzip, xz, zstd or bzip2, and the command that unpacks it to stdout. */
const COMPRESSED = /\.jsonl\.(gz|xz|zst|bz2)$/;
const UNPACK: Record<string, string> = { gz: "zcat", xz: "xzcat", zst: "zstdcat", bz2: "bzcat" };

function unpacked(path: string): string {
  return `<(${UNPACK[COMPRESSED.exec(path)![1]!]} '${path}')`;
}

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
      if (COMPRESSED.test(path)) throw new InputError("the tape is compressed; mcptape reads tapes as text", { file: path }, `read it through a pipe: ${unpacked(path)}`);
      out.push(path);
      continue;
    }
    const found = filesBelow(path, (name) => name.endsWith(".jsonl"));
    if (found.length === 0) {
      const compressed = filesBelow(path, (name) => COMPRESSED.test(name));
      const hint = compressed.length > 0 ? `the tapes below it are compressed: read each through a pipe, ${unpacked(compressed[0]!)}` : "record one with mcptape record, or name the tape files";
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
