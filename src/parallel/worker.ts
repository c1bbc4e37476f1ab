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
import { unitRunner, warningText, type UnitCall, type UnitRunner } from "./unit.js";
import { callRecord, warningRecord } from "./results.js";
import { renderUnit } from "./split-run.js";
import type { DecidedCall } from "../replay/types.js";
import type { DiffedCall } from "../diff/types.js";
import { postChanges } from "./changes-only.js";

const port = parentPort!;
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
let run: UnitRunner | undefined;

port.on("message", (task: WorkerTask) => void perform(task));

/** Posted about this often: one message per batch read would cost a tenth of a worker's time. */
const RECORDS_PER_MESSAGE = 64 * 1024;

/**
 * A unit's results records (`--report results=FILE`), made on its worker thread so that the
 * main thread only writes them, in the order one thread writes them: each batch's calls, then
 * the tape warnings given while that batch was read; at the end, the warnings after the last.
 */
class UnitRecords {
  private static readonly UTF8 = new TextEncoder();
  private text = "";
  private count = 0;
  private readonly held: string[] = [];

  constructor(
    private readonly unit: number,
    private readonly post: (bytes: Uint8Array, count: number) => void,
  ) {}

  warning(text: string): void {
    this.held.push(text);
  }

  async *tap(batches: AsyncIterable<UnitCall[]>): AsyncGenerator<UnitCall[]> {
    for await (const calls of batches) {
      for (const call of calls) this.add(callRecord(this.unit, call));
      this.release();
      if (this.text.length >= RECORDS_PER_MESSAGE) this.flush();
      yield calls;
    }
  }

  /** The unit is done: the warnings after its last batch, and every record not yet posted. */
  end(): void {
    this.release();
    this.flush();
  }

  private release(): void {
    for (const text of this.held.splice(0)) this.add(warningRecord(this.unit, text));
  }

  private add(record: string): void {
    this.text += record;
    this.count++;
  }

  private flush(): void {
    if (this.count === 0) return;
    this.post(UnitRecords.UTF8.encode(this.text), this.count);
    this.text = "";
    this.count = 0;
  }
}

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
    const output = t.output ?? {};
    const records = output.records ? new UnitRecords(t.unit, (bytes, count) => post({ task, kind: "records", records: bytes, count }, [bytes.buffer as ArrayBuffer])) : undefined;
    const listeners = {
      onWarning: (w: Parameters<typeof warningText>[0]) => {
        const text = warningText(w);
        records?.warning(text);
        post({ task, kind: "warning", text });
      },
      onBytes: (bytes: number) => void (bytesRead += bytes),
    };
    const batches = records ? records.tap(run(tape, listeners)) : run(tape, listeners);
    if (output.changesOnly) {
      await postChanges(batches as AsyncIterable<DiffedCall[]>, ({ calls, at, count }) => {
        postBytes();
        post({ task, kind: "changes", calls: JSON.stringify(calls), at, count, tape });
      });
      postBytes();
    } else if (output.split) {
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
    records?.end();
    post({ task, kind: "done" });
  } catch (err) {
    post({ task, kind: "error", error: errorData(err) });
  }
}
