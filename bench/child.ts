/**
 * Runs one measurement in its own child process, so its peak RSS (maxRSS) is its own.
 * A bench module calls `serveChild` at its end with its modes, and `inChild` to run one.
 */
import { fork } from "node:child_process";

const CHILD_ENV = "MCPTAPE_BENCH_CHILD";

export interface Measurement {
  /** Items processed (lines, decisions). */
  count: number;
  ms: number;
  /** Peak resident set of the whole child process, bytes. */
  maxRss: number;
  /** RSS before the work began (node + tsx + code), bytes. */
  startRss: number;
}

type Work = (args: string[]) => Promise<number>;

export function inChild(moduleFile: string, mode: string, args: string[]): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(moduleFile, args, { env: { ...process.env, [CHILD_ENV]: mode }, execArgv: ["--import", "tsx"] });
    let result: Measurement | undefined;
    child.on("message", (m) => (result = m as Measurement));
    child.on("error", reject);
    child.on("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${mode} child exited ${code}`))));
  });
}

/** In a child started by `inChild`: runs the mode's work, sends the measurement, exits. */
export function serveChild(moduleFile: string, modes: Record<string, Work>): void {
  const mode = process.env[CHILD_ENV];
  if (!mode || process.argv[1] !== moduleFile) return;
  const work = modes[mode];
  if (!work) throw new Error(`no bench mode ${mode}`);
  const startRss = process.memoryUsage().rss;
  const started = performance.now();
  work(process.argv.slice(2)).then(
    (count) => {
      const m: Measurement = { count, ms: performance.now() - started, startRss, maxRss: process.resourceUsage().maxRSS * 1024 };
      process.send?.(m, () => process.exit(0));
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** The faster run, with the higher peak RSS of the two (memory is judged at its worst). */
export function best(a: Measurement | undefined, b: Measurement): Measurement {
  if (!a) return b;
  const fast = a.ms <= b.ms ? a : b;
  return { ...fast, maxRss: Math.max(a.maxRss, b.maxRss) };
}

export const rate = (m: Measurement): number => m.count / (m.ms / 1000);
export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
