/**
 * Files that exist only while a run writes them: a report's temporary file before its rename,
 * a JUnit spool. Each is removed when the run fails (main's cleanup) or is interrupted
 * (SIGINT, SIGTERM, SIGHUP: removed, then the signal is raised again so the exit status is
 * the usual one). The handlers are installed only while such files exist. A run cleans up
 * only its own files: a run started inside another (an in-process test) leaves the outer
 * run's files alone.
 *
 * The runs are a stack, not an AsyncLocalStorage: the command line runs one at a time, and on
 * Node 20 an AsyncLocalStorage turns on promise hooks for every promise of the process, which
 * cost replay about a tenth of its CPU and validate 20 ms (issue 19).
 */
const pending = new Map<string, () => void>();
const runs: Set<string>[] = [];
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function onSignal(signal: NodeJS.Signals): void {
  discardTempFiles();
  process.kill(process.pid, signal);
}

/** Notes a temporary file and how to remove it (close its descriptor, unlink it). */
export function trackTempFile(path: string, remove: () => void): void {
  if (pending.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  pending.set(path, remove);
  runs.at(-1)?.add(path);
}

/** The file is done with (renamed into place, or removed by its owner). */
export function untrackTempFile(path: string): void {
  if (!pending.delete(path)) return;
  if (pending.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
}

/** Runs `work`; the temporary files it leaves pending (it failed or stopped early) are then removed. */
export async function withTempFiles<T>(work: () => Promise<T>): Promise<T> {
  const mine = new Set<string>();
  runs.push(mine);
  try {
    return await work();
  } finally {
    runs.splice(runs.lastIndexOf(mine), 1);
    discardTempFiles(mine);
  }
}

/** Removes the temporary files still pending (of `only`, else all): their run ended without finishing them. */
export function discardTempFiles(only?: ReadonlySet<string>): void {
  for (const [path, remove] of [...pending]) {
    if (only && !only.has(path)) continue;
    try {
      remove();
    } catch {
      // Already gone: nothing to clean.
    }
    untrackTempFile(path);
  }
}
