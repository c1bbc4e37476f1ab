/**
 * `test --watch`: runs the suite, then again whenever a scenario file, a policy or a tape it
 * read changes (or a scenario file appears in a folder given), until stopped. Folders are
 * watched, not files, because editors save by writing a new file and renaming it over the old.
 * A run that fails on bad input reports it and the watch goes on.
 */
import { statSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { InputError } from "../errors.js";
import { DEFAULT_SCENARIO_PATH } from "../scenario/discover.js";
import type { TestRun } from "../scenario/types.js";
import type { Io } from "./io.js";

/** A change burst (save, rename, touch) re-runs once, this long after its last event. */
const SETTLE_MS = 150;

/** Every file a run read: its scenario files, their policies and tapes, and the files that errored. */
export function filesRead(run: TestRun): string[] {
  const files = new Set<string>(run.files);
  for (const r of run.results) {
    if (r.scenario.policy.kind === "file") files.add(r.scenario.policy.path);
    for (const t of r.scenario.tapes) files.add(t);
  }
  for (const e of run.errored) files.add(e.at.file);
  return [...files].map((f) => resolve(f));
}

export async function watchTests(paths: readonly string[], once: () => Promise<TestRun>, io: Io): Promise<never> {
  const roots = (paths.length > 0 ? paths : [DEFAULT_SCENARIO_PATH]).map((p) => resolve(p));
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const rerun = async (changed?: string) => {
    if (changed) io.stderr.write(`mcptape: ${changed} changed, running the scenarios again\n`);
    let files: string[] = [];
    try {
      files = filesRead(await once());
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      io.stderr.write(`mcptape: ${err.format()}\n`);
    }
    for (const w of watchers) w.close();
    watchers = watchAll([...roots, ...files], (file) => {
      clearTimeout(timer);
      timer = setTimeout(() => (running = running.then(() => rerun(file))), SETTLE_MS);
    });
    io.stderr.write(`mcptape: watching ${files.length} file${files.length === 1 ? "" : "s"} for changes (Ctrl-C to stop)\n`);
  };
  await rerun();
  return new Promise<never>(() => {});
}

/**
 * In a folder watched whole, only scenario files and tapes count: a report written into it
 * (`-o results.xml`) must not start the next run.
 */
const WATCHED_IN_FOLDERS = /\.(ya?ml|jsonl)$/;

/** One watcher per folder; a file's folder reports only that file's changes, a folder given its scenario files and tapes. */
function watchAll(paths: string[], onChange: (file: string) => void): FSWatcher[] {
  const byFolder = new Map<string, Set<string> | "all">();
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // A file that is gone (renamed away mid-save) is watched through its folder.
    }
    const folder = isDir ? p : dirname(p);
    const names = byFolder.get(folder);
    if (isDir) byFolder.set(folder, "all");
    else if (names !== "all") byFolder.set(folder, (names ?? new Set()).add(basename(p)));
  }
  const watchers: FSWatcher[] = [];
  for (const [folder, names] of byFolder) {
    try {
      watchers.push(
        watch(folder, (_event, name) => {
          if (name === null) return;
          if (names === "all" ? WATCHED_IN_FOLDERS.test(String(name)) : names.has(String(name))) onChange(resolve(folder, String(name)));
        }),
      );
    } catch {
      // A folder that cannot be watched (gone) is skipped; the next run watches what is there.
    }
  }
  return watchers;
}
