import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, ofKind, tapeLines } from "./helpers.js";

const tape = (name: string) => join(ROOT, "fixtures/tapes", name);

describe("bundled fixture tapes", () => {
  it("everything.jsonl is a complete tape of server-everything with the secret redacted", async () => {
    const lines = await tapeLines(tape("everything.jsonl"));
    expect(lines[0]).toMatchObject({ kind: "header", transport: "stdio", redaction: { enabled: true } });
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "closed" });
    const calls = ofKind(lines, "msg").filter((m) => m.dir === "c2s" && (m.msg as { method?: string }).method === "tools/call");
    const names = calls.map((m) => (m.msg as { params: { name: string } }).params.name);
    expect(names.filter((n) => n === "echo")).toHaveLength(9);
    expect(names).toEqual(expect.arrayContaining(["get-sum", "get-env", "trigger-long-running-operation", "delete-everything", "get-tiny-image"]));
    const progress = ofKind(lines, "msg").filter((m) => (m.msg as { method?: string }).method === "notifications/progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(ofKind(lines, "msg").some((m) => (m.msg as { error?: unknown }).error !== undefined)).toBe(true);
    expect(JSON.stringify(lines)).not.toMatch(/sk-live-/);
  });

  it("filesystem.jsonl is a complete tape of server-filesystem with a refused write", async () => {
    const lines = await tapeLines(tape("filesystem.jsonl"));
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "closed" });
    const answers = ofKind(lines, "msg").filter((m) => m.dir === "s2c").map((m) => JSON.stringify(m.msg));
    expect(answers.some((a) => a.includes("Access denied - path outside allowed directories"))).toBe(true);
    const tools = ofKind(lines, "msg")
      .map((m) => m.msg as { method?: string; params?: { name?: string } })
      .filter((m) => m.method === "tools/call")
      .map((m) => m.params!.name);
    expect(tools).toEqual([
      "list_allowed_directories", "list_directory", "read_text_file", "write_file", "write_file", "search_files", "get_file_info",
    ]);
  });
});
