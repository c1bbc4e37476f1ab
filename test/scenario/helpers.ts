/** Scenario files written to a fresh temp folder, and an Io that captures what a command prints. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { Io } from "../../src/cli/io.js";
import { tempDir as newTempDir } from "../helpers/temp-dir.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const POLICIES = join(ROOT, "fixtures", "policies");

export function tempDir(): string {
  return newTempDir("scenario");
}

/** Writes `files` (name -> text) into a fresh folder; returns the folder. */
export function writeFiles(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function captureIo(): Io & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        add(String(chunk));
        done();
      },
    });
  return {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    out: () => out,
    err: () => err,
  };
}

/** A small Intercept policy used by most tests: two calls a minute for `ping`, `nuke` denied. */
export const LIMITS_POLICY = `version: "1"
tools:
  ping:
    rules:
      - name: two pings a minute
        rate_limit: 2/minute
  nuke:
    rules:
      - name: no nukes
        action: deny
        on_deny: Nuking is not permitted
`;
