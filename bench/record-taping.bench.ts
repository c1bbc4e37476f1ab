/**
 * What the taping thread costs per MiB, without processes or pipes around it: MessageRecorder
 * (redaction on, as users run it) tapes the same lines the record benchmark sends, 2 MiB and
 * 64 KiB tools/call messages, into a temporary tape. Beside it, in the same run, the floor any
 * taping that reads the message pays: decoding each line and JSON.parse. Figures are CPU ms
 * (user + system of this process) per MiB taped, the median of rounds that alternate the two.
 * Two payloads: the record benchmark's hex text, and prose (words, paths, punctuation) like
 * tool output, which the secret scan finds harder to rule out.
 * MCPTAPE_BENCH_TAPING_ROUNDS and _MIB (MiB taped per round and size) set the amounts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { MessageRecorder } from "../src/record/message-recorder.js";
import { Redactor } from "../src/tape/redact.js";
import { TapeWriter } from "../src/tape/writer.js";

const MiB = 2 ** 20;
const T = "2026-11-30T20:00:00.000Z";

const PROSE_WORDS = "the a file read write list search issue repo branch commit user order payment refund query table row index cache limit /usr/lib/node_modules/pkg/dist/index.js: Error, (42) {ok} [done] — naïve café".split(" ");

function payload(kind: "hex" | "prose", size: number): string {
  if (kind === "hex") return "0123456789abcdef".repeat(Math.floor(size / 16));
  const words: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const w = PROSE_WORDS[(i * 7 + (i >> 3)) % PROSE_WORDS.length]!;
    words.push(w);
    length += w.length + 1;
  }
  return words.join(" ").slice(0, size);
}

function lines(kind: "hex" | "prose", size: number, totalMib: number): Buffer[] {
  const count = Math.max(1, Math.round((totalMib * MiB) / size));
  const text = payload(kind, size - 100);
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: i + 1, method: "tools/call", params: { name: "echo", arguments: { message: text } } })));
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function tapeOnce(dir: string, batch: Buffer[]): Promise<number> {
  const writer = await TapeWriter.open(join(dir, "t.jsonl"), { recorder: { name: "bench", version: "0" }, transport: "stdio" });
  const recorder = new MessageRecorder(writer, new Redactor({ enabled: true, hmacKey: "bench" }), { session: "s" });
  const c0 = cpuMs();
  for (const line of batch) recorder.line("c2s", line, T);
  const spent = cpuMs() - c0;
  writer.close({ reason: "closed" });
  return spent;
}

function floorOnce(batch: Buffer[]): number {
  const c0 = cpuMs();
  let keep = 0;
  for (const line of batch) keep += (JSON.parse(line.toString("utf8")) as { id: number }).id;
  const spent = cpuMs() - c0;
  if (keep < 0) console.log(keep);
  return spent;
}

export async function run(): Promise<void> {
  const rounds = Number(process.env.MCPTAPE_BENCH_TAPING_ROUNDS ?? 7);
  const totalMib = Number(process.env.MCPTAPE_BENCH_TAPING_MIB ?? 32);
  const dir = mkdtempSync(join(tmpdir(), "mcptape-bench-taping-"));
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(", ");
  const before = load();
  const rows: string[] = [];
  try {
    for (const kind of ["hex", "prose"] as const) {
      for (const [label, size] of [["2 MiB", 2 * MiB], ["64 KiB", 64 * 1024]] as const) {
        const batch = lines(kind, size, totalMib);
        const mib = batch.reduce((n, l) => n + l.length, 0) / MiB;
        await tapeOnce(dir, batch.slice(0, 2)); // warm-up
        floorOnce(batch.slice(0, 2));
        const taped: number[] = [];
        const floor: number[] = [];
        for (let r = 0; r < rounds; r++) {
          taped.push((await tapeOnce(dir, batch)) / mib);
          floor.push(floorOnce(batch) / mib);
        }
        const t = median(taped);
        const f = median(floor);
        rows.push(`  ${kind.padEnd(5)} ${label.padEnd(6)} lines: taping ${t.toFixed(2)} ms/MiB, decode + JSON.parse ${f.toFixed(2)} ms/MiB (taping / floor ${(t / f).toFixed(2)}x)`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`record-taping (MessageRecorder, redaction on, CPU ms per MiB, median of ${rounds} rounds of ${totalMib} MiB); load average ${before} before, ${load()} after`);
  for (const r of rows) console.log(r);
}
