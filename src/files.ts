/** The files a user names: read whole with one wording for what went wrong, or listed below a folder. */
import { type Dirent, readdirSync, readFileSync, readlinkSync, realpathSync, type Stats, statSync } from "node:fs";
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

/**
 * Every file below `dir` whose name `accept`s, in name order, depth first. A link is taken as
 * what it points to (Bazel runfiles, Nix and git-annex lay corpora out as links); a link to a
 * folder already being walked is not followed again (it would never end). Hidden names (`.git`,
 * macOS `._t.jsonl`, an editor's `.#t.jsonl`) are left out, as the shell's `*` leaves them.
 * A link under an accepted name that points nowhere, and a folder that cannot be read, are bad input.
 */
export function filesBelow(dir: string, accept: (name: string) => boolean, walking: readonly string[] = [realpathSync(dir)]): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    throw cannotRead(err, dir, "folder", "give a folder mcptape can list, or name its files") ?? err;
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const full = join(dir, e.name);
    const stat = e.isSymbolicLink() ? linkTarget(full, accept(e.name)) : e;
    if (stat?.isDirectory()) {
      const real = realpathSync(full);
      if (!walking.includes(real)) out.push(...filesBelow(full, accept, [...walking, real]));
    } else if (stat?.isFile() && accept(e.name)) out.push(full);
  }
  return out;
}

/** What the link at `path` points to; undefined when it points nowhere, bad input if the name says it is wanted. */
function linkTarget(path: string, wanted: boolean): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if (!wanted) return undefined;
    const why = (err as NodeJS.ErrnoException).code === "ELOOP" ? "which leads round in a loop of links" : "which does not exist";
    throw new InputError(`${path} is a link to ${readlinkSync(path)}, ${why}`, { file: path }, "fetch the file it points to (git annex get, bazel build), or remove the link");
  }
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
