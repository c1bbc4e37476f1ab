/**
 * A progress bar for long runs: on stderr, only on a terminal, never in CI logs.
 * Replay does not know a tape's call count ahead, so the bar counts tapes and shows calls.
 */
import cliProgress from "cli-progress";
import type { Io } from "./io.js";

export interface Progress {
  /** `calls` more calls were decided, the last from `tape`. */
  tick(tape: string, calls: number): void;
  stop(): void;
}

const NONE: Progress = { tick() {}, stop() {} };

export function progressWanted(io: Io): boolean {
  return io.stderr.isTTY === true && !process.env.CI;
}

export function startProgress(io: Io, tapes: string[]): Progress {
  if (!progressWanted(io)) return NONE;
  const bar = new cliProgress.SingleBar(
    { format: "replaying {bar} tape {value}/{total} | {calls} calls", stream: io.stderr as NodeJS.WritableStream, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(tapes.length, 0, { calls: 0 });
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
