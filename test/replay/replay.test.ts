import { appendFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPolicyText } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/model.js";
import { replay } from "../../src/replay/replay.js";
import { DEFAULT_REPLAY_OPTIONS, type DecidedCall, type ReplayOptions } from "../../src/replay/types.js";
import { TapeBuilder } from "./tape-builder.js";
import { gatewaysOf } from "../gateways.js";

function policy(yaml: string): Policy {
  const { policy, diagnostics } = loadPolicyText(yaml, "test.yaml");
  if (!policy) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  return policy;
}

async function run(p: Policy, tapes: string[], options: Partial<ReplayOptions> = {}): Promise<DecidedCall[]> {
  const out: DecidedCall[] = [];
  for await (const c of replay(gatewaysOf(p), { tapes }, { ...DEFAULT_REPLAY_OPTIONS, ...options })) out.push(c);
  return out;
}

const twoPerMinute = policy(`
version: "1"
tools:
  echo:
    rules:
      - name: two a minute
        rate_limit: 2/minute
`);

const decisions = (calls: DecidedCall[]) => calls.map((c) => c.decision.decision);

describe("replay", () => {
  it("decides requests in arrival order and pairs each with its answer", async () => {
    const tape = new TapeBuilder().request(1, 1, "echo").ok(2, 1).request(3, 2, "echo").ok(4, 2).request(5, 3, "echo").ok(6, 3).end(7).write();
    const calls = await run(twoPerMinute, [tape]);
    expect(decisions(calls)).toEqual(["allow", "allow", "throttle"]);
    expect(calls.map((c) => c.outcome)).toEqual(["ok", "ok", "ok"]);
    expect(calls[2]!.decision.rule).toBe("two a minute");
  });

  it("gives a reservation back when the answer is a JSON-RPC error, at the answer's time", async () => {
    // Call 2 fails, so call 3 fits in the limit again; but call 3 is decided before
    // call 2's answer arrives in the second tape, and sees the reservation.
    const rollsBackFirst = new TapeBuilder().request(1, 1, "echo").ok(1.5, 1).request(2, 2, "echo").error(2.5, 2).request(3, 3, "echo").ok(3.5, 3).write();
    const inFlight = new TapeBuilder().request(1, 1, "echo").ok(1.5, 1).request(2, 2, "echo").request(3, 3, "echo").error(3.5, 2).ok(4, 3).write();
    expect(decisions(await run(twoPerMinute, [rollsBackFirst]))).toEqual(["allow", "allow", "allow"]);
    expect(decisions(await run(twoPerMinute, [inFlight]))).toEqual(["allow", "allow", "throttle"]);
  });

  it("rolls back on isError only with rollbackOn error+isError", async () => {
    const tape = new TapeBuilder().request(1, 1, "echo").isError(1.5, 1).request(2, 2, "echo").isError(2.5, 2).request(3, 3, "echo").ok(3.5, 3).write();
    expect(decisions(await run(twoPerMinute, [tape]))).toEqual(["allow", "allow", "throttle"]);
    expect(decisions(await run(twoPerMinute, [tape], { rollbackOn: "error+isError" }))).toEqual(["allow", "allow", "allow"]);
  });

  it("pairs answers by session and id: another session's id 1 is another request", async () => {
    const tape = new TapeBuilder()
      .request(1, 1, "echo", {}, "a")
      .request(1, 1, "echo", {}, "b")
      .error(2, 1, -32000, "failed", "b")
      .ok(2, 1, "a")
      .request(3, 2, "echo", {}, "a")
      .ok(4, 2, "a")
      .write();
    const calls = await run(twoPerMinute, [tape]);
    expect(calls.map((c) => [c.session, c.outcome])).toEqual([["a", "ok"], ["b", "error"], ["a", "ok"]]);
    // b's failure gave its reservation back, so a's second call still fits.
    expect(decisions(calls)).toEqual(["allow", "allow", "allow"]);
  });

  it("does not pair a server's request id with the client's", async () => {
    const tape = new TapeBuilder()
      .request(1, 0, "echo")
      .msg(1.2, "s1", "s2c", { jsonrpc: "2.0", id: 0, method: "sampling/createMessage", params: {} })
      .msg(1.4, "s1", "c2s", { jsonrpc: "2.0", id: 0, error: { code: -1, message: "no" } })
      .ok(2, 0)
      .write();
    const [call] = await run(twoPerMinute, [tape]);
    expect(call!.outcome).toBe("ok");
  });

  it("reads every tools/call of a batch array", async () => {
    const batch = [1, 2, 3].map((id) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo", arguments: {} } }));
    const tape = new TapeBuilder().msg(1, "s1", "c2s", batch).write();
    expect(decisions(await run(twoPerMinute, [tape]))).toEqual(["allow", "allow", "throttle"]);
  });

  it("rolls a call line back at its time plus its latency", async () => {
    const tape = new TapeBuilder()
      .call(1, "echo")
      .call(2, "echo", { outcome: "error", latencyMs: 5000 })
      .call(3, "echo")
      .call(8, "echo")
      .write();
    expect(decisions(await run(twoPerMinute, [tape]))).toEqual(["allow", "allow", "throttle", "allow"]);
  });

  it("gives each tape its own gateway unless together", async () => {
    const a = new TapeBuilder().call(1, "echo").call(2, "echo").write("a.jsonl");
    const b = new TapeBuilder().call(1.5, "echo").write("b.jsonl");
    expect(decisions(await run(twoPerMinute, [a, b]))).toEqual(["allow", "allow", "allow"]);
    const together = await run(twoPerMinute, [a, b], { together: true });
    expect(together.map((c) => [c.tape.endsWith("a.jsonl") ? "a" : "b", c.decision.decision])).toEqual([
      ["a", "allow"],
      ["b", "allow"],
      ["a", "throttle"],
    ]);
  });

  it("pairs each tape's answers with its own requests when tapes run together, though their sessions and ids are the same", async () => {
    // Both tapes' first request is session s1, id 1. a's fails: its reservation comes back, so
    // a's second call fits in the limit again; had b's answer been taken for a's, it would not.
    const a = new TapeBuilder().request(1, 1, "echo").error(3, 1).request(4, 2, "echo").ok(4.5, 2).write("a.jsonl");
    const b = new TapeBuilder().request(2, 1, "echo").ok(2.5, 1).write("b.jsonl");
    const calls = await run(twoPerMinute, [a, b], { together: true });
    expect(calls.map((c) => [c.tape.endsWith("a.jsonl") ? "a" : "b", c.outcome, c.decision.decision])).toEqual([
      ["a", "error", "allow"],
      ["b", "ok", "allow"],
      ["a", "ok", "allow"],
    ]);
  });

  it("moves the tape with --at and speeds time up with --speed", async () => {
    // Two calls 40s apart at 10:00:30 and 10:01:10 fall in two minute windows; moved to
    // start at 10:00:00 they fall in one; at speed 2 they are 20s apart.
    const tape = new TapeBuilder(30).call(30, "echo").call(50, "echo").call(70, "echo").write();
    expect(decisions(await run(twoPerMinute, [tape]))).toEqual(["allow", "allow", "allow"]);
    expect(decisions(await run(twoPerMinute, [tape], { at: Date.parse("2026-01-01T10:00:00Z") }))).toEqual(["allow", "allow", "throttle"]);
    const fast = await run(twoPerMinute, [tape], { speed: 2 });
    expect(fast.map((c) => new Date(c.t).toISOString())).toEqual(["2026-01-01T10:00:30.000Z", "2026-01-01T10:00:40.000Z", "2026-01-01T10:00:50.000Z"]);
    expect(decisions(fast)).toEqual(["allow", "allow", "throttle"]);
  });

  it("recognises what Intercept decided in the recording and counts changed calls", async () => {
    const tape = new TapeBuilder()
      .request(1, 1, "echo").ok(1.1, 1)
      .request(2, 2, "echo").isError(2.1, 2, "[INTERCEPT POLICY DENIED] Rate limit exceeded for two a minute")
      .request(3, 3, "echo").error(3.1, 3, -32003, "[INTERCEPT APPROVAL REQUIRED] held apr_1")
      .write();
    const calls = await run(twoPerMinute, [tape]);
    expect(calls.map((c) => c.recorded?.decision)).toEqual(["allow", "throttle", "approval"]);
    expect(calls.map((c) => c.changed)).toEqual([false, true, true]);
  });

  it("reads an HTTP 429 that carried the answer as a throttle in the recording", async () => {
    const tape = new TapeBuilder().request(1, 1, "echo").write();
    appendFileSync(tape, JSON.stringify({ kind: "msg", seq: 9, t: "2026-01-01T10:00:02.000Z", session: "s1", dir: "s2c", http: 429, msg: { jsonrpc: "2.0", id: 1, error: { code: -32000, message: "slow down" } } }) + "\n");
    const [call] = await run(twoPerMinute, [tape]);
    expect(call!.recorded).toEqual({ decision: "throttle", message: "slow down" });
    expect(call!.changed).toBe(true);
  });

  it("reads a bare HTTP 429 body (no JSON-RPC id of its own) as the throttle of the request its line answers", async () => {
    const tape = new TapeBuilder().request(1, 1, "echo").request(2, 2, "echo").request(3, 3, "echo").ok(4, 3).write();
    appendFileSync(tape, [
      { kind: "raw", seq: 10, t: "2026-01-01T10:00:05.000Z", session: "s1", dir: "s2c", http: 429, answers: 2, text: "Too Many Requests\n" },
      { kind: "msg", seq: 11, t: "2026-01-01T10:00:06.000Z", session: "s1", dir: "s2c", http: 429, answers: 1, msg: { error: "rate limited" } },
    ].map((l) => JSON.stringify(l) + "\n").join(""));
    const calls = await run(twoPerMinute, [tape]);
    expect(calls.map((c) => c.recorded)).toEqual([{ decision: "throttle" }, { decision: "throttle", message: "Too Many Requests" }, { decision: "allow" }]);
    expect(calls.map((c) => c.outcome)).toEqual(["error", "error", "ok"]);
  });

  it("reports a call never answered once the tape ends", async () => {
    const tape = new TapeBuilder().request(1, 1, "echo").request(2, 2, "echo").ok(3, 2).write();
    const calls = await run(twoPerMinute, [tape]);
    expect(calls.map((c) => c.outcome)).toEqual([null, "ok"]);
    expect(calls.map((c) => c.recorded)).toEqual([null, { decision: "allow" }]);
  });
});
