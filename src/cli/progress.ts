/**
 * Progress bars for long runs, on stderr. As the spec says, only on a terminal: never in CI
 * logs, and never when stdout is not a TTY (output piped or redirected: a script is running it).
 */
import cliProgress from "cli-progress";
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
  const bar = new cliProgress.SingleBar(
    { format, stream: io.stderr as NodeJS.WritableStream, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, payload);
  return { update: (value, more) => bar.update(value, more), stop: () => bar.stop() };
}

export interface Progress {
  /** `calls` more calls were decided, the last from `tape`. */
  tick(tape: string, calls: number): void;
  stop(): void;
}

/** Replay and diff do not know a tape's call count ahead, so the bar counts tapes and shows calls. */
export function startProgress(io: Io, tapes: string[]): Progress {
  const bar = startBar(io, "replaying {bar} tape {value}/{total} | {calls} calls", tapes.length, { calls: 0 });
  if (!bar) return { tick() {}, stop() {} };
  const done = new Set<string>();
  let calls = 0;
  return {
    tick(tape, more) {
      calls += more;
      done.add(tape);
      bar.update(Math.max(0, done.size - 1), { calls });
    },
    stop() {
      bar.update(tapes.length, { calls });
      bar.stop();
    },
  };
}
