/** Writes small hand-made tapes for replay tests: requests, answers and call lines at given times. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/temp-dir.js";

const BASE = Date.parse("2026-01-01T10:00:00.000Z");

export const at = (seconds: number): string => new Date(BASE + seconds * 1000).toISOString();

export class TapeBuilder {
  private lines: object[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.lines.push({ kind: "header", tape: 1, id: "test", t: at(start), recorder: { name: "test", version: "0" }, transport: "hand" });
  }

  session(session: string, seconds: number, identity?: string): this {
    this.lines.push({ kind: "session", session, t: at(seconds), ...(identity ? { identity } : {}) });
    return this;
  }

  /** A client `tools/call` request. */
  request(seconds: number, id: number | string, tool: string, args: object = {}, session = "s1"): this {
    return this.msg(seconds, session, "c2s", { jsonrpc: "2.0", id, method: "tools/call", params: { name: tool, arguments: args } });
  }

  ok(seconds: number, id: number | string, session = "s1"): this {
    return this.msg(seconds, session, "s2c", { jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "ok" }] } });
  }

  isError(seconds: number, id: number | string, text = "tool failed", session = "s1"): this {
    return this.msg(seconds, session, "s2c", { jsonrpc: "2.0", id, result: { content: [{ type: "text", text }], isError: true } });
  }

  error(seconds: number, id: number | string, code = -32000, message = "upstream failed", session = "s1"): this {
    return this.msg(seconds, session, "s2c", { jsonrpc: "2.0", id, error: { code, message } });
  }

  msg(seconds: number, session: string, dir: "c2s" | "s2c", msg: unknown): this {
    this.lines.push({ kind: "msg", seq: ++this.seq, t: at(seconds), session, dir, msg });
    return this;
  }

  call(seconds: number, tool: string, extra: object = {}, session = "s1"): this {
    this.lines.push({ kind: "call", seq: ++this.seq, t: at(seconds), session, tool, args: {}, ...extra });
    return this;
  }

  end(seconds: number): this {
    this.lines.push({ kind: "end", t: at(seconds), messages: this.seq, reason: "closed" });
    return this;
  }

  text(): string {
    return this.lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
  }

  write(name = "tape.jsonl", dir = tempDir("replay")): string {
    const path = join(dir, name);
    writeFileSync(path, this.text());
    return path;
  }
}
