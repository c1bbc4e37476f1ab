/**
 * How fast and how flat the tape reader is, against a bare "split lines + JSON.parse" loop
 * over the same file measured in the same run.
 *
 * Goals: readTape at least 0.5x the bare loop's lines/s, and peak RSS under 150 MB on a 1 GB
 * tape. Each measurement runs in its own child process so its peak RSS (maxRSS) is its own.
 * The tape size comes from MCPTAPE_BENCH_TAPE_MB (default 1024); the generated tape is kept
 * in bench/.data/ and reused. MCPTAPE_BENCH_ROUNDS (default 2) runs of each, best kept.
 */
import { createReadStream, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readTape } from "../src/tape/reader.js";
import { best, inChild, mib, rate, serveChild, type Measurement } from "./child.js";
import { ensureTape } from "./tape-gen.js";

const HERE = fileURLToPath(import.meta.url);

type Mode = "bare" | "reader";

export async function run(): Promise<void> {
  const mb = Number(process.env.MCPTAPE_BENCH_TAPE_MB ?? 1024);
  if (!(mb > 0)) throw new Error(`MCPTAPE_BENCH_TAPE_MB must be a positive number, got ${process.env.MCPTAPE_BENCH_TAPE_MB}`);
  const file = ensureTape(mb);
  console.log(`tape-read: ${file} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`);
  // Once untimed so every run finds the file in the page cache. Then the two alternate and
  // each keeps its best run: the machine is shared, and a busy moment should not decide.
  await measure("bare", file);
  const rounds = Number(process.env.MCPTAPE_BENCH_ROUNDS ?? 2);
  let bare: Measurement | undefined;
  let reader: Measurement | undefined;
  for (let i = 0; i < rounds; i++) {
    bare = best(bare, await measure("bare", file));
    reader = best(reader, await measure("reader", file));
  }
  if (!bare || !reader) throw new Error("MCPTAPE_BENCH_ROUNDS must be at least 1");
  for (const [name, m] of [["bare JSON.parse loop", bare], ["readTape", reader]] as const) {
    console.log(
      `  ${name.padEnd(22)} ${m.count} lines in ${(m.ms / 1000).toFixed(2)} s = ${Math.round(rate(m)).toLocaleString("en")} lines/s, ` +
      `peak RSS ${mib(m.maxRss)} (at start ${mib(m.startRss)})`,
    );
  }
  const ratio = rate(reader) / rate(bare);
  console.log(`  readTape / bare: ${ratio.toFixed(2)}x (goal >= 0.5x); readTape peak RSS ${mib(reader.maxRss)} (goal < 150 MB)`);
  if (reader.count !== bare.count) console.log(`  WARNING: line counts differ: ${reader.count} vs ${bare.count}`);
}


/** The baseline: same chunk size and line splitting as the reader, no checks at all. */
export async function bareLoop(file: string): Promise<number> {
  let lines = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const c of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const chunk: Buffer = rest.length ? Buffer.concat([rest, c as Buffer]) : (c as Buffer);
    const last = chunk.lastIndexOf(10);
    if (last === -1) {
      rest = chunk;
      continue;
    }
    const text = chunk.toString("utf8", 0, last);
    let s = 0;
    for (;;) {
      const n = text.indexOf("\n", s);
      const v = JSON.parse(n === -1 ? text.slice(s) : text.slice(s, n)) as { kind: string };
      if (v.kind) lines++;
      if (n === -1) break;
      s = n + 1;
    }
    rest = chunk.subarray(last + 1);
  }
  return lines;
}

async function readerLoop(file: string): Promise<number> {
  let lines = 0;
  for await (const { line } of readTape(file)) if (line.kind) lines++;
  return lines;
}

serveChild(HERE, { bare: ([file]) => bareLoop(file!), reader: ([file]) => readerLoop(file!) });

function measure(mode: Mode, file: string): Promise<Measurement> {
  return inChild(HERE, mode, [file]);
}
