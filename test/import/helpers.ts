import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTape } from "../../src/tape/parse-text.js";
import type { TapeLine } from "../../src/tape/schema.js";
import { tempDir as newTempDir } from "../helpers/temp-dir.js";

export const AWS_LOG = fileURLToPath(new URL("./fixtures/aws-support-events.jsonl", import.meta.url));
export const POLICIES = fileURLToPath(new URL("../../fixtures/policies/", import.meta.url));

export function tempDir(): string {
  return newTempDir("import");
}

/** Writes an audit log of these lines (objects are JSON-encoded) and returns its path. */
export function writeLog(dir: string, lines: (object | string)[], trailingNewline = true): string {
  const path = join(dir, "events.jsonl");
  writeFileSync(path, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + (trailingNewline ? "\n" : ""));
  return path;
}

export function readLines(tape: string): TapeLine[] {
  return parseTape(readFileSync(tape), tape).map((l) => l.line);
}
