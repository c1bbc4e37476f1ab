/**
 * The one way a command reads the policy it was given (-p, --against, --base, --head): a file
 * on disk, or `REV:PATH` read from git with `git show REV:PATH` in the current folder (`-`,
 * standard input, was spooled to a file before). A file that exists wins over the git
 * reading, and a Windows path like `C:\p.yaml` is never REV:PATH. The policy comes back with
 * its text, for diff's textual diff of the policies.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError, formatDiagnostic, type Diagnostic } from "../errors.js";
import { readUserFile } from "../files.js";
import type { LoadedPolicy } from "../gateway/types.js";
import { detectPolicyDialect, loadPolicy, validPolicy } from "../policy/load.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import { POLICY_DIALECTS, type PolicyDialect } from "../policy/model.js";
import type { FlagValues } from "./flags.js";
import type { Io } from "./io.js";

export interface PolicySource {
  /** As the user wrote it: shown in reports and diagnostics. */
  name: string;
  text: string;
}

export interface PolicyArg extends PolicySource {
  policy: LoadedPolicy;
}

/** How a policy is loaded: a forced `--dialect`, and how Cedar is decided. */
export interface PolicyLoadFlags {
  dialect?: PolicyDialect | undefined;
  cedar?: CedarOptions | undefined;
}

/** `--dialect`: forces a policy's dialect (detected from the file when left out). */
export function policyDialectFrom(values: FlagValues): PolicyDialect | undefined {
  return values.choice("dialect", POLICY_DIALECTS);
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
  // Relative to the current folder as given, so errors name the file as the user wrote it.
  const path = cwd === process.cwd() ? arg : resolve(cwd, arg);
  return { name: arg, text: readUserFile(path, "policy", `check the path given with ${flag}, or write REV:PATH to read it from git`) };
}

/** Reads and loads the policy given with `flag`; stops with every error the policy has. */
export async function requirePolicy(arg: string | undefined, flag: string, how: PolicyLoadFlags, io: Io, cwd = process.cwd()): Promise<PolicyArg> {
  if (arg === undefined || arg === "") {
    throw new InputError(`${flag} is required`, undefined, `name a policy file or REV:PATH, like ${flag.split("/").pop()} policy.yaml`);
  }
  const source = await readPolicySource(arg, flag, cwd);
  // A path says what it is when --dialect does not: `REV:policy.cedar` is Cedar like `policy.cedar`.
  // Only a forced --dialect is checked against the file's shape; a detected one is what the shape says.
  const chosen = how.dialect
    ?? (detectPolicyDialect(source.text, gitRevPath(arg, cwd)?.path ?? source.name) === "cedar" ? "cedar" : undefined);
  const loaded = loadPolicy(source.text, source.name, chosen, how.cedar);
  printWarnings(loaded.diagnostics, io);
  return { ...source, policy: validPolicy(loaded, flag === "-p/--policy" ? "the policy" : `the ${flag} policy`, { file: arg }) };
}

/** A policy's warnings go to stderr, in the same form as validate prints them. */
export function printWarnings(diagnostics: Diagnostic[], io: Io): void {
  for (const d of diagnostics) if (d.severity === "warning") io.stderr.write(`${formatDiagnostic(d, d.severity, d.message)}\n`);
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
