/** Runs the built CLI asynchronously with a deadline: a hang is a result, not a stuck test. */
import { spawn } from "node:child_process";
import { BIN, ROOT } from "../cli/run-cli.js";

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function runCliAsync(args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
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
      });
    });
  });
}
