/** Files below a folder, for commands that take folders of tapes or scenarios. */
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Every file below `dir` whose name `accept`s, in name order, depth first. */
export function filesBelow(dir: string, accept: (name: string) => boolean): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesBelow(full, accept));
    else if (e.isFile() && accept(e.name)) out.push(full);
  }
  return out;
}

/** Why a file could not be read, in words a user acts on (never a raw `EISDIR`). */
export function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a folder, not a file";
  if (code === "EACCES") return "permission denied";
  return (err as Error).message;
}
