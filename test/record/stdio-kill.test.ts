/** What `kill -9` of the recorder leaves behind: every complete line good, at most the last cut. */
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTapeLine } from "../../src/tape/parse-text.js";
import { readTape, type TapeWarning } from "../../src/tape/reader.js";
import { BIN, EVERYTHING, ROOT, tempDir } from "./helpers.js";

describe("stdio recorder killed with SIGKILL", () => {
  it("leaves a tape whose every line but the last parses", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const child = spawn(process.execPath, [BIN, "record", "-o", tape, "--", ...EVERYTHING], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    child.stdout.resume();
    child.stderr.resume();
    child.stdin.on("error", () => undefined); // EPIPE once it is dead
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once("close", (_code, signal) => r(signal)));

    const send = (m: object) => child.stdin.write(JSON.stringify(m) + "\n");
    send({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "k", version: "1" } } });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    // Keep the recorder busy writing big lines so the kill lands mid-stream.
    const big = "x".repeat(64 * 1024);
    let id = 1;
    const pump = setInterval(() => {
      for (let i = 0; i < 4; i++) send({ jsonrpc: "2.0", id: id++, method: "tools/call", params: { name: "echo", arguments: { message: big } } });
    }, 2);
    const deadline = Date.now() + 15_000;
    const size = () => {
      try {
        return statSync(tape).size;
      } catch {
        return 0;
      }
    };
    while (size() < 2 * 1024 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    clearInterval(pump);
    expect(await exited).toBe("SIGKILL");

    const text = readFileSync(tape, "utf8");
    const lines = text.split("\n");
    expect(lines.length).toBeGreaterThan(20);
    // Every line before the last is whole; the last is "" (cut on a line end) or a cut line.
    lines.slice(0, -1).forEach((line, i) => expect(() => parseTapeLine(line, tape, i + 1)).not.toThrow());
    expect(text).not.toContain('"kind":"end"');

    // The streaming reader takes the tape as it is, and says what is missing.
    const warnings: TapeWarning[] = [];
    let read = 0;
    for await (const _ of readTape(tape, { onWarning: (w) => warnings.push(w) })) read++;
    expect(read).toBe(lines.length - 1);
    expect(warnings.length).toBeGreaterThan(0);
  });
});
