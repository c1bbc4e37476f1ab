/** Runs the built CLI asynchronously, a few at a time, each with a deadline: a hang is a result, not a stuck test. */
import { spawn } from "node:child_process";
import { BIN, ROOT } from "../cli/run-cli.js";

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export function runCliAsync(args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", CI: "true", ...env };
  delete childEnv.FORCE_COLOR;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => out.push(c));
  child.stderr.on("data", (c: Buffer) => err.push(c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
        ms: Date.now() - started,
      });
    });
  });
}

/** Runs every job with at most `concurrency` at once; results by key. */
export async function runAll(
  jobs: { key: string; args: string[] }[],
  opts: { concurrency: number; timeoutMs: number },
): Promise<Map<string, Finished>> {
  const results = new Map<string, Finished>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      results.set(job.key, await runCliAsync(job.args, opts.timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return results;
}
