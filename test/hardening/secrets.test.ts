/**
 * Planted secrets (in arguments, results, the server's environment and stderr) never reach a
 * tape, a report or mcptape's own log lines: recorded through the real stdio recorder, then
 * replayed in every report format.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPLAY_FORMATS } from "../../src/report/formats.js";
import { runCli } from "../cli/run-cli.js";
import { startRecording, waitFor } from "./record-process.js";

const SECRETS = {
  apiKey: "ak-planted-0a1b2c3d4e5f6a7b",
  password: "hunter2-planted-Pa55",
  liveKey: "sk-live-PLANTEDabcdefghijklmnop0123",
  bearer: "PLANTEDbearer0123456789abcdefXYZ",
  envKey: "PLANTEDenvValue0123456789abcdef",
  envAuth: "PLANTEDupstreamAuth9876543210zz",
};
const ALL = Object.values(SECRETS);

function call(id: number, args: unknown): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo", arguments: args } }) + "\n";
}

describe("secrets never leave the recorder", () => {
  it("planted secrets are in no tape, report, stdout or own log line", async () => {
    const rec = startRecording(["env"], {
      env: { PLANTED_API_KEY: SECRETS.envKey, UPSTREAM_AUTH: `Bearer ${SECRETS.envAuth}` },
    });
    rec.child.stdin.write(call(1, { api_key: SECRETS.apiKey, password: SECRETS.password, message: "hello" }));
    rec.child.stdin.write(call(2, { message: `please use ${SECRETS.liveKey} for billing`, headers: { Authorization: `Bearer ${SECRETS.bearer}` } }));
    rec.child.stdin.write(call(3, { message: `curl -H "Authorization: Bearer ${SECRETS.bearer}"` }));
    expect(await waitFor(() => rec.stdout().split("\n").length > 3)).toBe(true);
    rec.child.stdin.end();
    expect((await rec.exited).code).toBe(0);

    // The client did get the real values: redaction changes the tape, never the traffic.
    expect(rec.stdout()).toContain(SECRETS.envKey);
    const tape = readFileSync(rec.tape, "utf8");
    expect(tape).toContain("[REDACTED:");
    for (const s of ALL) expect(tape, s).not.toContain(s);
    // The server's stderr is passed through as it is; mcptape's own lines never hold a secret.
    const own = rec.stderr().split("\n").filter((l) => l.startsWith("mcptape"));
    for (const s of ALL) expect(own.join("\n")).not.toContain(s);

    for (const format of REPLAY_FORMATS) {
      // Every format as a report too, but github twice (each github output adds to the step summary).
      const reports = REPLAY_FORMATS.filter((f) => !(format === "github" && f === "github")).map((f) => `--report=${f}=${join(rec.dir, `report.${f}`)}`);
      const r = await runCli(["replay", rec.tape, "-p", "fixtures/policies/demo.yaml", "--format", format, ...reports]);
      expect(r.code, r.stderr).toBe(0);
      for (const s of ALL) {
        expect(r.stdout, `${format} stdout`).not.toContain(s);
        expect(r.stderr, `${format} stderr`).not.toContain(s);
      }
    }
    const written = readdirSync(rec.dir).filter((f) => f.startsWith("report."));
    expect(written).toHaveLength(REPLAY_FORMATS.length);
    for (const f of written) {
      const text = readFileSync(join(rec.dir, f), "utf8");
      for (const s of ALL) expect(text, `${f}`).not.toContain(s);
    }
  }, 60_000);
});
