/**
 * Where `mcptape record -o` writes: a tape already there is an earlier recording (often the only
 * copy of an incident), so it is replaced only with --overwrite; and the stdio recorder refuses
 * the HTTP proxy's flags instead of ignoring them. Run as a user runs it: the built CLI, a real
 * server process.
 */
import { spawnSync } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, LINE_SERVER, ROOT, tempDir } from "./helpers.js";

/** `mcptape record ARGS -- <a server that leaves MARKER when it starts>`, its stdin closed at once. */
function record(dir: string, args: string[]): { code: number | null; stderr: string; serverStarted: boolean } {
  const marker = join(dir, "server-started");
  const server = [process.execPath, "-e", `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`];
  const r = spawnSync(process.execPath, [BIN, "record", ...args, "--", ...server], { cwd: ROOT, input: "", encoding: "utf8" });
  return { code: r.status, stderr: r.stderr, serverStarted: existsSync(marker) };
}

const EARLIER = '{"kind":"header","tape":1,"id":"earlier"}\n';

describe("record -o: an earlier recording is never replaced unasked", () => {
  it("a tape already at the path is bad input (exit 2): the file is left as it was and no server starts", () => {
    const dir = tempDir();
    const tape = join(dir, "incident.jsonl");
    writeFileSync(tape, EARLIER);
    const r = record(dir, ["-o", tape]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mcptape: ${tape}: error: a file is already there (${EARLIER.length} bytes): recording would replace it; give -o another path, or add --overwrite to replace it\n`);
    expect(readFileSync(tape, "utf8")).toBe(EARLIER);
    expect(r.serverStarted).toBe(false);
  });

  it("--overwrite replaces it with the new recording", () => {
    const dir = tempDir();
    const tape = join(dir, "incident.jsonl");
    writeFileSync(tape, EARLIER);
    const r = record(dir, ["-o", tape, "--overwrite"]);
    expect(r.code).toBe(0);
    expect(r.serverStarted).toBe(true);
    const lines = readFileSync(tape, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { kind: string; id?: string });
    expect(lines[0]!.kind).toBe("header");
    expect(lines[0]!.id).not.toBe("earlier");
    expect(lines.at(-1)!.kind).toBe("end");
  });

  it("an empty file at the path holds no recording: it is written without --overwrite", () => {
    const dir = tempDir();
    const tape = join(dir, "made-by-mktemp.jsonl");
    writeFileSync(tape, "");
    const r = record(dir, ["-o", tape]);
    expect(r.code).toBe(0);
    expect(readFileSync(tape, "utf8")).toMatch(/^\{"kind":"header"/);
  });
});

describe("record over stdio refuses the HTTP proxy's flags", () => {
  it("--host with a server command is bad input (exit 2), not ignored: only the HTTP proxy listens", () => {
    const dir = tempDir();
    const tape = join(dir, "never-written.jsonl");
    const r = spawnSync(process.execPath, [BIN, "record", "-o", tape, "--host", "0.0.0.0", "--", ...LINE_SERVER], { cwd: ROOT, input: "", encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("mcptape: error: --host is where the Streamable HTTP proxy listens: it works with --upstream only; drop --host, or record over Streamable HTTP with --upstream URL\n");
    expect(existsSync(tape)).toBe(false);
  });
});

describe("record -o -", () => {
  it("is bad input (exit 2) and writes no file named -: standard output is the client's channel", () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [BIN, "record", "-o", "-", "--", ...LINE_SERVER], { cwd: dir, input: "", encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("mcptape: error: -o - is not standard output for record (over stdio, standard output carries the server's messages to the client); give the tape a file name, or a pipe: -o >(gzip > session.jsonl.gz)\n");
    expect(r.stdout).toBe("");
    expect(existsSync(join(dir, "-"))).toBe(false);
  });
});

describe("record that never began leaves no tape in the way of the corrected command", () => {
  it("a server command that cannot start: exit 2, no tape, and the same -o records once the command is right", () => {
    const dir = tempDir();
    const tape = join(dir, "session.jsonl");
    const typo = spawnSync(process.execPath, [BIN, "record", "-o", tape, "--", "nodee", "server.js"], { cwd: ROOT, input: "", encoding: "utf8" });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('cannot start the server "nodee"');
    expect(existsSync(tape)).toBe(false);
    const r = record(dir, ["-o", tape]);
    expect(r.code).toBe(0);
    expect(r.serverStarted).toBe(true);
  });

  it("a --port already taken: exit 2 and no tape", async () => {
    const dir = tempDir();
    const tape = join(dir, "session.jsonl");
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    try {
      const port = String((busy.address() as AddressInfo).port);
      const r = spawnSync(process.execPath, [BIN, "record", "-o", tape, "--upstream", "http://127.0.0.1:9/mcp", "--port", port], { cwd: ROOT, input: "", encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
      expect(existsSync(tape)).toBe(false);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
