import { describe, expect, it } from "vitest";
import { serializeLine } from "../../src/tape/serialize.js";

// The order is derived from the zod shapes in src/tape/schema.ts; these lines pin what
// spec/tape.md and tapes already on disk have, so reordering a shape cannot pass unnoticed.
describe("serializeLine writes keys in the tape's order", () => {
  it("a header line: kind, tape, id, t, recorder {name, version}, transport, upstream", () => {
    const line = { upstream: { url: "http://127.0.0.1:1/mcp" }, transport: "http", recorder: { version: "1", name: "mcptape" }, t: "2026-11-21T23:40:23.123Z", id: "x", tape: 1, kind: "header" } as const;
    expect(serializeLine(line)).toBe('{"kind":"header","tape":1,"id":"x","t":"2026-11-21T23:40:23.123Z","recorder":{"name":"mcptape","version":"1"},"transport":"http","upstream":{"url":"http://127.0.0.1:1/mcp"}}');
  });

  it("a msg line carries http before msg; the message keeps its sender's order", () => {
    const line = { redacted: ["/a"], msg: { z: 1, a: 2 }, http: 429, dir: "s2c", session: "s", t: "2026-11-21T23:40:23.123Z", seq: 3, kind: "msg" } as const;
    expect(serializeLine(line)).toBe('{"kind":"msg","seq":3,"t":"2026-11-21T23:40:23.123Z","session":"s","dir":"s2c","http":429,"msg":{"z":1,"a":2},"redacted":["/a"]}');
  });

  it("a call line: recorded {decision, rule, message} after latencyMs, argsHash last", () => {
    const line = { argsHash: "h", recorded: { message: "m", rule: "r", decision: "deny" }, latencyMs: 5, outcome: "error", args: { b: 1, a: 2 }, tool: "pay", session: "s", t: "2026-11-21T23:40:23.123Z", seq: 1, kind: "call" } as const;
    expect(serializeLine(line)).toBe('{"kind":"call","seq":1,"t":"2026-11-21T23:40:23.123Z","session":"s","tool":"pay","args":{"b":1,"a":2},"outcome":"error","latencyMs":5,"recorded":{"decision":"deny","rule":"r","message":"m"},"argsHash":"h"}');
  });
});
