/**
 * The progress bar of replay and diff (only on a terminal, never in CI): it counts the bytes
 * read of the tapes' total size, so it moves within one huge tape, and shows the time left.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startProgress } from "../../src/cli/progress.js";
import { gatewayFactory } from "../../src/gateway/create.js";
import { loadPolicyFile } from "../../src/policy/load.js";
import { replayBatches } from "../../src/replay/replay.js";
import { DEFAULT_REPLAY_OPTIONS } from "../../src/replay/types.js";
import { ROOT } from "./run-cli.js";

class Terminal extends Writable {
  isTTY = true;
  columns = 160;
  text = "";
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const TAPES = ["fixtures/tapes/everything.jsonl", "fixtures/tapes/filesystem.jsonl"].map((t) => join(ROOT, t));

afterEach(() => vi.unstubAllEnvs());

describe("the replay progress bar", () => {
  it("replay reports every byte of every tape it reads", async () => {
    const loaded = await loadPolicyFile(join(ROOT, "fixtures/policies/demo.yaml"));
    let bytes = 0;
    const source = { tapes: TAPES, onBytes: (n: number) => (bytes += n) };
    for await (const batch of replayBatches(gatewayFactory(loaded.policy!, { window: "fixed" }), source, DEFAULT_REPLAY_OPTIONS)) void batch;
    expect(bytes).toBe(TAPES.reduce((sum, t) => sum + statSync(t).size, 0));
  });

  it("shows the share of bytes read, the total size and the time left, on a terminal", async () => {
    vi.stubEnv("CI", "");
    const stderr = new Terminal();
    const progress = startProgress({ stdout: new Terminal(), stderr }, TAPES);
    const total = TAPES.reduce((sum, t) => sum + statSync(t).size, 0);
    progress.read(Math.floor(total / 2));
    progress.tick(TAPES[0]!, 7);
    // The bar redraws on its own timer (a few times a second), not on every update.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stderr.text).toMatch(/\b50% \| [\d.]+ MiB of [\d.]+ MiB \| ETA \S+ \| tape 1\/2 \| 7 calls/);
    progress.stop();
  });

  it("draws nothing in CI", () => {
    vi.stubEnv("CI", "true");
    const stderr = new Terminal();
    const progress = startProgress({ stdout: new Terminal(), stderr }, TAPES);
    progress.read(1000);
    progress.tick(TAPES[0]!, 1);
    progress.stop();
    expect(stderr.text).toBe("");
  });
});
