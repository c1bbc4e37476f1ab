/**
 * Progress bars for long runs, on stderr. As the spec says, only on a terminal: never in CI
 * logs, and never when stdout is not a TTY (output piped or redirected: a script is running it).
 */
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import type CliProgress from "cli-progress";
import type { Io } from "./io.js";

export function progressWanted(io: Io): boolean {
  return io.stdout.isTTY === true && io.stderr.isTTY === true && !process.env.CI;
}

export interface Bar {
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/** A bar drawn with `format` (cli-progress tokens), or undefined when no bar is wanted. */
export function startBar(io: Io, format: string, total: number, payload: Record<string, unknown> = {}): Bar | undefined {
  if (!progressWanted(io)) return undefined;
  // Loaded only when a bar is drawn (a terminal): a run in CI or piped does not pay for it.
  const cliProgress = createRequire(import.meta.url)("cli-progress") as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    { format, stream: io.stderr as NodeJS.WritableStream, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, payload);
  return { update: (value, more) => bar.update(value, more), stop: () => bar.stop() };
}

export interface Progress {
  /** `bytes` more of the tapes were read. */
  read(bytes: number): void;
  /** `calls` more calls were decided, the last from `tape`. */
  tick(tape: string, calls: number): void;
  stop(): void;
}

/**
 * Replay and diff do not know a tape's call count ahead, so the bar counts bytes read of the
 * tapes' total size (which moves within a single huge tape too), with an estimate of the time left.
 */
export function startProgress(io: Io, tapes: string[]): Progress {
  const total = tapes.reduce((sum, tape) => sum + sizeOf(tape), 0);
  const bar = startBar(io, "replaying {bar} {percentage}% | {done} of {size} | ETA {eta_formatted} | tape {tape}/{tapes} | {calls} calls", Math.max(total, 1), {
    done: mib(0), size: mib(total), tape: 1, tapes: tapes.length, calls: 0,
  });
  if (!bar) return { read() {}, tick() {}, stop() {} };
  const seen = new Set<string>();
  let bytes = 0;
  let calls = 0;
  return {
    read(more) {
      bytes += more;
    },
    tick(tape, more) {
      calls += more;
      seen.add(tape);
      bar.update(Math.min(bytes, total), { done: mib(bytes), tape: seen.size, calls });
    },
    stop() {
      bar.update(Math.max(total, 1), { done: mib(total), calls });
      bar.stop();
    },
  };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
