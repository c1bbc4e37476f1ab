/** The files a user names: read whole with one wording for what went wrong, or listed below a folder. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "./errors.js";

/**
 * A file the user named, read whole as UTF-8, or an InputError at the file: `cannot read
 * <what>: no such file`, with `hint` saying what to give instead.
 */
export function readUserFile(path: string, what: string, hint?: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw cannotRead(err, path, what, hint) ?? err;
  }
}

/**
 * A pipe, a socket or a device (`<(...)`, /dev/stdin, /dev/null): a path that exists and is
 * neither a file nor a folder. It can be read only once, and nothing can be renamed over it.
 * A path that cannot be looked at is not one: whoever opens it says what is wrong.
 */
export function isSpecialFile(path: string): boolean {
  try {
    const stat = statSync(path);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false;
  }
}

/**
 * The same words for a file read as a stream (tapes, audit logs): an InputError for what the
 * user can fix (a missing file, a folder, no permission), undefined for anything else.
 */
export function cannotRead(err: unknown, path: string, what: string, hint?: string): InputError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== "ENOENT" && code !== "EISDIR" && code !== "EACCES" && code !== "EPERM" && code !== "ENOTDIR") return undefined;
  return new InputError(`cannot read ${what}: ${unreadable(err)}`, { file: path }, hint);
}

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

/** Why a file could not be read or written, in words a user acts on (never a raw `EISDIR`). */
export function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a folder, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOTDIR") return "a folder on its path is a file";
  if (code === "ENOSPC") return "no space left on device";
  if (code === "EDQUOT") return "disk quota exceeded";
  if (code === "EROFS") return "read-only file system";
  return (err as Error).message;
}
