/**
 * Two ways to run the command line from a test. `runCli` calls `main` in this process with
 * stdout and stderr captured: the same parsing, actions and exit codes, without the cost of a
 * Node start per call. `spawnCli` runs the built bin/mcptape.js as a user would, for tests where
 * the process itself is the point (exit status, stream separation, signals, environment).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { printed } from "../../src/cli/main.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/mcptape.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Plain, non-interactive output: what a CI log gets. */
const PLAIN_ENV = { NO_COLOR: "1", CI: "true", FORCE_COLOR: undefined };

/** Runs `mcptape ARGS` in this process, from the repository root, and captures what it prints. */
export async function runCli(args: string[]): Promise<CliResult> {
  if (process.cwd() !== ROOT.replace(/\/$/, "")) throw new Error(`run the tests from the repository root (${ROOT}), not ${process.cwd()}`);
  const saved = Object.fromEntries(Object.keys(PLAIN_ENV).map((k) => [k, process.env[k]]));
  setEnv(PLAIN_ENV);
  try {
    return await printed(args);
  } finally {
    setEnv(saved);
  }
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/** Runs the built command line in its own process, as a user would. */
export function spawnCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, ...PLAIN_ENV, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    input: options.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
