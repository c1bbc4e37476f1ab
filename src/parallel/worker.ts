/**
 * A worker thread's entry: rebuilds the gateways from the setup it was started with, then
 * takes one task at a time: read a tape through to check it, run it as one gateway run
 * (posting the decided calls back a batch at a time, or their rendered lines: SplitRun, or a
 * diff's changed calls only: changes-only.ts), or run a scenario file.
 */
import { parentPort, workerData } from "node:worker_threads";
import { tapeProblem } from "../tape/check.js";
import { errorData, type WorkerTask, type WorkerMessage } from "./messages.js";
import { setupGateways, type RunSetup } from "./setup.js";
import { unitRunner, warningText, type UnitRunner } from "./unit.js";
import { renderUnit } from "./split-run.js";
import type { DecidedCall } from "../replay/types.js";
import type { DiffedCall } from "../diff/types.js";
import { postChanges } from "./changes-only.js";

const port = parentPort!;
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
let run: UnitRunner | undefined;

port.on("message", (task: WorkerTask) => void perform(task));

async function perform(t: WorkerTask): Promise<void> {
  const task = t.task;
  try {
    if (t.kind === "scenarios") {
      // Loaded only by a `test` pool's workers: a replay's would pay for it at every start.
      const { runScenarioFile } = await import("../scenario/run.js");
      post({ task, kind: "outcome", outcome: await runScenarioFile(t.file) });
      post({ task, kind: "done" });
      return;
    }
    const tape = t.tape;
    if (t.kind === "check") {
      const problem = await tapeProblem(tape);
      post(problem ? { task, kind: "error", error: errorData(problem) } : { task, kind: "done" });
      return;
    }
    // A replay or diff pool is started with its setup; a test pool with none (scenarios carry their own).
    run ??= unitRunner(workerData as RunSetup, setupGateways(workerData as RunSetup));
    // Bytes read are posted with the next message of calls or lines, not once per chunk read.
    let bytesRead = 0;
    const postBytes = () => {
      if (bytesRead > 0) post({ task, kind: "bytes", bytes: bytesRead });
      bytesRead = 0;
    };
    const listeners = {
      onWarning: (w: Parameters<typeof warningText>[0]) => post({ task, kind: "warning", text: warningText(w) }),
      onBytes: (bytes: number) => void (bytesRead += bytes),
    };
    const batches = run(tape, listeners);
    const output = t.output;
    if (output && "changesOnly" in output) {
      await postChanges(batches as AsyncIterable<DiffedCall[]>, ({ calls, at, count }) => {
        postBytes();
        post({ task, kind: "changes", calls: JSON.stringify(calls), at, count, tape });
      });
      postBytes();
    } else if (output && "split" in output) {
      const counts = await renderUnit(output.split, tape, batches as AsyncIterable<DecidedCall[]>, (rendered) => {
        postBytes();
        // Rendered bytes are handed over, not copied: the main thread writes them as they are.
        post({ task, kind: "lines", ...rendered }, rendered.parts.flatMap((outputs) => outputs.flatMap((part) => (part instanceof Uint8Array ? [part.buffer as ArrayBuffer] : []))));
      });
      postBytes();
      post({ task, kind: "counts", counts });
    } else {
      for await (const calls of batches) {
        postBytes();
        post({ task, kind: "calls", calls: JSON.stringify(calls) });
      }
      postBytes();
    }
    post({ task, kind: "done" });
  } catch (err) {
    post({ task, kind: "error", error: errorData(err) });
  }
}
