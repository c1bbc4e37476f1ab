/**
 * The policies `diff` compares: a file on disk, or `REV:PATH` read from git with
 * `git show REV:PATH` in the current folder. A file that exists wins over the git reading,
 * and a Windows path like `C:\p.yaml` is never REV:PATH. Both come back with their text,
 * for the textual diff of the policies.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { InputError } from "../errors.js";
import { unreadable } from "../files.js";
import type { LoadedPolicy } from "../gateway/types.js";
import { detectPolicyDialect, loadPolicy, validPolicy } from "../policy/load.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import type { PolicyDialect } from "../policy/model.js";
import type { Io } from "./io.js";
import { printWarnings } from "./policy-arg.js";

export interface PolicySource {
  /** As the user wrote it: shown in reports and diagnostics. */
  name: string;
  text: string;
}

export interface DiffPolicy extends PolicySource {
  policy: LoadedPolicy;
}

/** `REV:PATH` split in two, or undefined when the argument is a plain path. */
export function gitRevPath(arg: string, cwd = process.cwd()): { rev: string; path: string } | undefined {
  const colon = arg.indexOf(":");
  if (colon < 0) return undefined;
  if (/^[A-Za-z]:[\\/]/.test(arg)) return undefined;
  if (existsSync(resolve(cwd, arg))) return undefined;
  const path = arg.slice(colon + 1);
  if (path === "") return undefined;
  return { rev: arg.slice(0, colon), path };
}

export async function readPolicySource(arg: string, flag: string, cwd = process.cwd()): Promise<PolicySource> {
  const git = gitRevPath(arg, cwd);
  if (git) return { name: arg, text: await gitShow(git.rev, git.path, arg, cwd) };
  try {
    return { name: arg, text: await readFile(resolve(cwd, arg), "utf8") };
  } catch (err) {
    throw new InputError(`cannot read policy: ${unreadable(err)}`, { file: arg }, `check the path given with ${flag}, or write REV:PATH to read it from git`);
  }
}

/** Reads and loads one side of the diff; stops with every error the policy has. */
export async function requireDiffPolicy(arg: unknown, dialect: unknown, io: Io, flag: string, cwd = process.cwd(), cedar?: CedarOptions): Promise<DiffPolicy> {
  if (typeof arg !== "string" || arg === "") {
    throw new InputError(`${flag} is required`, undefined, `name a policy file or REV:PATH, like ${flag} origin/main:policy.yaml`);
  }
  const source = await readPolicySource(arg, flag, cwd);
  // A path says what it is when --dialect does not: `REV:policy.cedar` is Cedar like `policy.cedar`.
  // Only a forced --dialect is checked against the file's shape; a detected one is what the shape says.
  const chosen = (dialect as PolicyDialect | undefined)
    ?? (detectPolicyDialect(source.text, gitRevPath(arg, cwd)?.path ?? source.name) === "cedar" ? "cedar" : undefined);
  const loaded = loadPolicy(source.text, source.name, chosen, cedar);
  printWarnings(loaded.diagnostics, io);
  return { ...source, policy: validPolicy(loaded, `the ${flag} policy`, { file: arg }) };
}

function gitShow(rev: string, path: string, arg: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", ["show", `${rev}:${path}`], { cwd, encoding: "utf8", maxBuffer: 64 * 2 ** 20, windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "git is not installed or not on PATH" : (stderr.trim() || err.message).split("\n")[0]!;
      reject(new InputError(`cannot read policy from git: ${why}`, { file: arg }, "write REV:PATH with a revision git knows, like origin/main:policy.yaml (fetch with fetch-depth: 0 in CI)"));
    });
  });
}
