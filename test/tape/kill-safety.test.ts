import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readTape } from "../../src/tape/reader.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = tempDir("kill");
const writer = fileURLToPath(new URL("helpers/write-until-killed.ts", import.meta.url));

it("a writer killed with SIGKILL mid-recording leaves a tape whose every line reads back", async () => {
  const path = join(dir, "killed.jsonl");
  const child = spawn(process.execPath, ["--import", "tsx", writer, path], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`writer exited early (${code})`)));
  });
  // Keep writing a little longer, then kill it wherever it is.
  await new Promise((r) => setTimeout(r, 150));
  const exited = new Promise((r) => child.on("exit", r));
  child.kill("SIGKILL");
  await exited;

  const warnings: string[] = [];
  let lines = 0;
  let lastSeq = 0;
  for await (const { line } of readTape(path, { onWarning: (w) => warnings.push(w.message) })) {
    lines++;
    if (line.kind === "msg") {
      expect(line.seq).toBe(lastSeq + 1);
      lastSeq = line.seq;
    }
  }
  expect(lines).toBeGreaterThan(2000);
  expect(warnings).toContain("tape has no end line: the recording was cut short");
  expect(warnings.every((w) => w.startsWith("tape has no end line") || w.startsWith("tape is truncated"))).toBe(true);
});
