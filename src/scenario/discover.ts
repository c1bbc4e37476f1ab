/**
 * Which files `mcptape test` runs: files as given, folders as every `.yaml`/`.yml` below them,
 * in name order so runs are repeatable.
 */
import { statSync } from "node:fs";
import { InputError } from "../errors.js";
import { filesBelow } from "../files.js";

export const DEFAULT_SCENARIO_PATH = "scenarios";

export interface ScenarioFile {
  file: string;
  /** Named on the command line (not found by walking a folder). */
  explicit: boolean;
}

export function findScenarioFiles(paths: readonly string[]): ScenarioFile[] {
  const out: ScenarioFile[] = [];
  for (const path of paths.length > 0 ? paths : [DEFAULT_SCENARIO_PATH]) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new InputError(`no such scenario file or folder: ${path}`, { file: path }, "give a scenario .yaml file or a folder of them (default ./scenarios)");
    }
    if (!isDir) {
      out.push({ file: path, explicit: true });
      continue;
    }
    const found = filesBelow(path, (name) => /\.ya?ml$/i.test(name));
    if (found.length === 0) throw new InputError(`no .yaml scenario files in folder ${path}`, { file: path }, "write one (see docs/spec/scenario.md), or name the files");
    out.push(...found.map((file) => ({ file, explicit: false })));
  }
  const seen = new Set<string>();
  return out.filter((f) => !seen.has(f.file) && seen.add(f.file));
}
