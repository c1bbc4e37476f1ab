/**
 * A worker thread's entry: rebuilds the gateways from the setup it was started with, then runs
 * each tape it is sent as one gateway run, posting the decided calls back a batch at a time.
 */
import { parentPort, workerData } from "node:worker_threads";
import { errorData, type UnitTask, type WorkerMessage } from "./messages.js";
import { setupGateways, type RunSetup } from "./setup.js";
import { unitRunner, warningText } from "./unit.js";

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
let run: ReturnType<typeof unitRunner> | undefined;

port.on("message", (task: UnitTask) => void runTask(task));

async function runTask({ unit, tape }: UnitTask): Promise<void> {
  try {
    run ??= unitRunner(workerData as RunSetup, setupGateways(workerData as RunSetup));
    const listeners = {
      onWarning: (w: Parameters<typeof warningText>[0]) => post({ unit, kind: "warning", text: warningText(w) }),
      onBytes: (bytes: number) => post({ unit, kind: "bytes", bytes }),
    };
    for await (const calls of run(tape, listeners)) post({ unit, kind: "calls", calls });
    post({ unit, kind: "done" });
  } catch (err) {
    post({ unit, kind: "error", error: errorData(err) });
  }
}
