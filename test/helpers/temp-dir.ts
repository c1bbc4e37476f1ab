/**
 * The one way tests make temporary folders: each is made under the system temp folder with an
 * `mcptape-` name and removed, with everything in it, when its test file ends
 * (test/helpers/cleanup.ts registers that for every file).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** A new empty folder, removed after this test file. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mcptape-${name}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made so far. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
