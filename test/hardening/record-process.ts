/** The recorder as a real process (`node bin/mcptape.js record -o TAPE -- SERVER`), for fault tests. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, ROOT } from "../cli/run-cli.js";
import { tempDir as newTempDir } from "../helpers/temp-dir.js";

export const FAULT_SERVER = join(ROOT, "test/hardening/fixtures/fault-server.mjs");
const SLOW_DISK = join(ROOT, "test/hardening/fixtures/slow-disk.mjs");

export interface Recording {
  child: ChildProcessWithoutNullStreams;
  dir: string;
  /** Whether `dir` was made for this recording (and is removed with it). */
  ownDir: boolean;
  tape: string;
  pidFile: string;
  stdout: () => string;
  /** How many lines came out on stdout so far (cheap to ask often, unlike stdout()). */
  stdoutLines: () => number;
  stderr: () => string;
  /** Exit code (or 128+signal) and how long after start. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export function tempDir(): string {
  return newTempDir("hardening");
}

/**
 * `slowDiskMs`: the recorder's taping thread waits this long before every write to the tape
 * (fixtures/slow-disk.mjs, preloaded into the recorder), as on a slow disk.
 */
export function startRecording(
  modes: string[],
  opts: { tape?: string; env?: NodeJS.ProcessEnv; dir?: string; extra?: string[]; slowDiskMs?: number } = {},
): Recording {
  const dir = opts.dir ?? tempDir();
  const tape = opts.tape ?? join(dir, "t.jsonl");
  const pidFile = join(dir, "server.pid");
  const started = Date.now();
  const slow = opts.slowDiskMs === undefined ? [] : ["--import", pathToFileURL(SLOW_DISK).href];
  const child = spawn(process.execPath, [...slow, BIN, "record", "-o", tape, ...(opts.extra ?? []), "--", process.execPath, FAULT_SERVER, pidFile, ...modes], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", CI: "true", ...opts.env, ...(opts.slowDiskMs === undefined ? {} : { MCPTAPE_SLOW_DISK_MS: String(opts.slowDiskMs) }) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outLines = 0;
  child.stdout.on("data", (c: Buffer) => {
    out.push(c);
    for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) outLines++;
  });
  child.stderr.on("data", (c: Buffer) => err.push(c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, ms: Date.now() - started })));
  return {
    child, dir, ownDir: opts.dir === undefined, tape, pidFile,
    stdout: () => Buffer.concat(out).toString("utf8"),
    stdoutLines: () => outLines,
    stderr: () => Buffer.concat(err).toString("utf8"),
    exited,
  };
}

export async function waitFor(check: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function serverPid(rec: Recording): number | undefined {
  return existsSync(rec.pidFile) ? Number(readFileSync(rec.pidFile, "utf8")) : undefined;
}

export function tapeObjects(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The peak resident memory of a live process so far (Linux: VmHWM), in bytes; undefined once it is gone. */
export function peakRss(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
