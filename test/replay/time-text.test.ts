/**
 * Reports copy a tape's own time text when replay keeps recorded time, instead of formatting
 * the number again. What they write must be what formatting the replay time writes, byte for
 * byte, whatever precision the tape wrote its times in and whatever --speed and --at do.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPolicyText } from "../../src/policy/load.js";
import { replay } from "../../src/replay/replay.js";
import { DEFAULT_REPLAY_OPTIONS, type ReplayOptions } from "../../src/replay/types.js";
import { replayJson } from "../../src/report/replay-json.js";
import { replayText } from "../../src/report/replay-text.js";
import { makeStyle } from "../../src/report/style.js";
import { tempDir } from "../helpers/temp-dir.js";
import { gatewaysOf } from "../gateways.js";

const { policy } = loadPolicyText('version: "1"\ndefault: allow\ntools: {}\n', "allow.yaml");
const START = Date.parse("2026-01-01T10:00:00.000Z");

/** A time as a tape may write it: whole seconds, or 1 to 9 digits of fraction. */
function written(ms: number, digits: number, extra: string): string {
  const iso = new Date(ms).toISOString();
  if (digits === 0) return iso.slice(0, 19) + "Z";
  return (iso.slice(0, 20) + (iso.slice(20, 23) + extra).slice(0, digits)).padEnd(20 + digits, "0") + "Z";
}

const calls = fc.array(
  fc.record({ gap: fc.nat(5000), digits: fc.nat(9), extra: fc.stringMatching(/^[0-9]{6}$/), asMsg: fc.boolean() }),
  { minLength: 1, maxLength: 20 },
);
const options = fc.oneof(
  fc.constant({}),
  fc.record({ speed: fc.constantFrom(0.5, 2, 3, 7) }),
  fc.record({ at: fc.integer({ min: START - 1e9, max: START + 1e9 }) }),
  fc.constant({ at: START }),
);

describe("the time reports write for a call", () => {
  const dir = tempDir("time-text");

  it("is the replay time formatted, whether the tape's text is copied or not", async () => {
    await fc.assert(fc.asyncProperty(calls, options, async (spec, opts: Partial<ReplayOptions>) => {
      const lines: object[] = [{ kind: "header", tape: 1, id: "t", t: written(START, 3, ""), recorder: { name: "t", version: "0" }, transport: "hand" }];
      const times: string[] = [];
      let ms = START;
      spec.forEach(({ gap, digits, extra, asMsg }, i) => {
        ms += gap;
        const t = written(ms, digits, extra);
        times.push(t);
        if (asMsg) {
          lines.push({ kind: "msg", seq: i + 1, t, session: "s", dir: "c2s", msg: { jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "echo", arguments: {} } } });
          lines.push({ kind: "msg", seq: i + 1, t, session: "s", dir: "s2c", msg: { jsonrpc: "2.0", id: i, result: { content: [] } } });
        } else {
          lines.push({ kind: "call", seq: i + 1, t, session: "s", tool: "echo", args: {} });
        }
      });
      const tape = join(dir, "tape.jsonl");
      writeFileSync(tape, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
      const options = { ...DEFAULT_REPLAY_OPTIONS, ...opts };
      const json = replayJson();
      const text = replayText(makeStyle(false, "never"));
      text.start({ policy: "allow.yaml", tapes: [tape], failOn: new Set(), warnings: [] });
      let i = 0;
      for await (const call of replay(gatewaysOf(policy!), { tapes: [tape] }, options)) {
        // The reference: the recorded time read by Date.parse, moved by the clock, formatted.
        const origin = options.at ?? START;
        const expected = new Date(Math.floor(origin + (Date.parse(times[i]!) - START) / options.speed)).toISOString();
        expect(JSON.parse(json.call(call, i).slice(i === 0 ? 1 : 2)).t).toBe(expected);
        expect(text.call(call, i)).toContain(` ${expected} `);
        i++;
      }
      expect(i).toBe(times.length);
    }), { numRuns: 150 });
  });
});
