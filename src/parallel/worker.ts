/**
 * A worker thread's entry: rebuilds the gateways from the setup it was started with, then
 * takes one task at a time: read a tape through to check it, run it as one gateway run
 * (posting the decided calls back a batch at a time), or run a scenario file.
 */
import { parentPort, workerData } from "node:worker_threads";
import { tapeProblem } from "../tape/check.js";
import { runScenarioFile } from "../scenario/run.js";
import { errorData, type WorkerTask, type WorkerMessage } from "./messages.js";
import { setupGateways, type RunSetup } from "./setup.js";
import { unitRunner, warningText, type UnitRunner } from "./unit.js";

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
let run: UnitRunner | undefined;

port.on("message", (task: WorkerTask) => void perform(task));

async function perform(t: WorkerTask): Promise<void> {
  const task = t.task;
  try {
    if (t.kind === "scenarios") {
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
    const listeners = {
      onWarning: (w: Parameters<typeof warningText>[0]) => post({ task, kind: "warning", text: warningText(w) }),
      onBytes: (bytes: number) => post({ task, kind: "bytes", bytes }),
    };
    for await (const calls of run(tape, listeners)) post({ task, kind: "calls", calls: JSON.stringify(calls) });
    post({ task, kind: "done" });
  } catch (err) {
    post({ task, kind: "error", error: errorData(err) });
  }
}
