/**
 * Files that exist only while a run writes them: a report's temporary file before its rename,
 * a JUnit spool. Each is removed when the run fails (main's cleanup) or is interrupted
 * (SIGINT, SIGTERM, SIGHUP: removed, then the signal is raised again so the exit status is
 * the usual one). The handlers are installed only while such files exist.
 */
const pending = new Map<string, () => void>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function onSignal(signal: NodeJS.Signals): void {
  discardTempFiles();
  process.kill(process.pid, signal);
}

/** Notes a temporary file and how to remove it (close its descriptor, unlink it). */
export function trackTempFile(path: string, remove: () => void): void {
  if (pending.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  pending.set(path, remove);
}

/** The file is done with (renamed into place, or removed by its owner). */
export function untrackTempFile(path: string): void {
  if (!pending.delete(path)) return;
  if (pending.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
}

/** Removes every temporary file still pending: the run ended without finishing them. */
export function discardTempFiles(): void {
  for (const [path, remove] of [...pending]) {
    try {
      remove();
    } catch {
      // Already gone: nothing to clean.
    }
    untrackTempFile(path);
  }
}
