/**
 * Reading results files for `mcptape merge`: each file's header is checked against the others
 * (same command, policies, options, inputs; every shard once), then their records are read
 * back in input order. A shard's records come in the order of its units, so the files merge
 * by unit a record at a time: memory does not grow with the number of calls.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { InputError } from "../errors.js";
import { unreadable } from "../files.js";
import type { UnitEvent } from "../parallel/pool.js";
import type { ResultsHeader, ResultsRecord } from "../parallel/results.js";
import { checkHeader, checkRecord } from "./check-results.js";
import type { TapeSightings } from "../tape/sessions.js";

export interface ResultsFile {
  file: string;
  header: ResultsHeader;
}

const RERUN = "write the --report results=FILE of every shard of the same command line, each once";

/** Reads and checks every file's header and end line; the files sorted by shard. */
export async function openResults(files: readonly string[]): Promise<ResultsFile[]> {
  if (files.length === 0) throw new InputError("merge needs results files", undefined, "give the files written by --report results=FILE, like mcptape merge results-*.jsonl");
  const opened: ResultsFile[] = [];
  for (const file of files) {
    opened.push({ file, header: headerOf(await firstLine(file), file) });
  }
  checkSameRun(opened);
  for (const f of opened) await checkRecords(f);
  return opened.sort((a, b) => (a.header.shard?.index ?? 1) - (b.header.shard?.index ?? 1));
}

async function firstLine(file: string): Promise<string> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
  } catch (err) {
    throw new InputError(`cannot read results: ${unreadable(err)}`, { file }, "give the file --report results=FILE wrote");
  } finally {
    lines.close();
  }
  throw new InputError("empty results file", { file, line: 1, col: 1 }, "give the file --report results=FILE wrote");
}

function headerOf(line: string, file: string): ResultsHeader {
  let h: unknown;
  try {
    h = JSON.parse(line);
  } catch {
    h = undefined;
  }
  return checkHeader(h, file);
}

/**
 * Reads every record through, checking each and the count on the end line: a damaged or cut
 * file is refused before anything is written (merge's output, like any report, is whole or none).
 */
async function checkRecords({ file, header }: ResultsFile): Promise<void> {
  let records = 0;
  for await (const { record, line } of recordsOf(file, header)) {
    if ("end" in record) {
      if (record.end.records !== records) throw new InputError(`results file holds ${records} records, its end line says ${record.end.records}`, { file, line, col: 1 }, "run that shard again");
      return;
    }
    records++;
  }
  throw new InputError("results file has no end line: the run that wrote it did not finish", { file }, "run that shard again");
}

function checkSameRun(files: ResultsFile[]): void {
  const [first, ...rest] = files as [ResultsFile, ...ResultsFile[]];
  const h0 = first.header;
  for (const { file, header: h } of rest) {
    const differs = (what: string, a: unknown, b: unknown, hint = RERUN) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new InputError(`results from different ${what} than ${first.file}`, { file }, hint);
    };
    differs("commands", h.setup.command, h0.setup.command);
    differs("policies", h.setup.policies.map((p) => [p.name, p.sha256, p.dialect]), h0.setup.policies.map((p) => [p.name, p.sha256, p.dialect]));
    const { policies: _p, ...options } = h.setup;
    const { policies: _p0, ...options0 } = h0.setup;
    differs("options", [options, h.render], [options0, h0.render]);
    differs("input tapes", h.tapes, h0.tapes, "give every shard the same tapes (the same paths, the same files)");
    differs("shard counts", h.shard?.count ?? null, h0.shard?.count ?? null);
  }
  const count = h0.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const { file, header: h } of files) {
    const index = h.shard?.index ?? 1;
    const other = seen.get(index);
    if (other !== undefined) throw new InputError(`shard ${index}/${count} is given twice (also ${other})`, { file }, RERUN);
    seen.set(index, file);
  }
  for (let i = 1; i <= count; i++) {
    if (!seen.has(i)) throw new InputError(`shard ${i}/${count} is missing`, undefined, `${RERUN}: ${count} files`);
  }
}

/** The records of a file after its header, with their line numbers. */
async function* recordsOf(file: string, header: ResultsHeader): AsyncGenerator<{ record: ResultsRecord; line: number }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let n = 0;
  let lastUnit = 0;
  for await (const text of lines) {
    if (++n === 1 || text === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InputError("not a JSON line", { file, line: n, col: 1 }, "give the file --report results=FILE wrote, unchanged");
    }
    const record = checkRecord(value, header, { file, line: n, col: 1 }, lastUnit);
    if ("call" in record || "warning" in record) lastUnit = record.unit;
    yield { record, line: n };
  }
}

/**
 * Every file's calls and warnings merged in unit order, as a run hands them on; the tools
 * records (for --coverage advice) are collected into `tools` on the way.
 */
export async function* mergedEvents(files: ResultsFile[], sightings: [number, TapeSightings][]): AsyncGenerator<UnitEvent> {
  const readers = files.map((f) => ({ file: f.file, it: recordsOf(f.file, f.header), head: undefined as { unit: number; record: ResultsRecord; line: number } | undefined, records: 0 }));
  /** Moves a reader to its next call or warning record; false at its end line. */
  const advance = async (r: (typeof readers)[number]): Promise<boolean> => {
    for (;;) {
      const next = await r.it.next();
      if (next.done) throw new InputError("results file has no end line", { file: r.file }, "run that shard again");
      const { record, line } = next.value;
      if ("end" in record) {
        if (record.end.records !== r.records) throw new InputError(`results file holds ${r.records} records, its end line says ${record.end.records}`, { file: r.file, line, col: 1 }, "run that shard again");
        r.head = undefined;
        return false;
      }
      r.records++;
      if ("tools" in record) {
        sightings.push([record.unit, { tools: record.tools, sessions: record.sessions }]);
        continue;
      }
      r.head = { unit: record.unit, record, line };
      return true;
    }
  };
  const live = [];
  for (const r of readers) if (await advance(r)) live.push(r);
  while (live.length > 0) {
    let at = 0;
    for (let i = 1; i < live.length; i++) if (live[i]!.head!.unit < live[at]!.head!.unit) at = i;
    const r = live[at]!;
    const unit = r.head!.unit;
    // A whole unit from this file: consecutive calls go out as one batch.
    let calls: UnitEvent & { kind: "calls" } | undefined;
    let more = true;
    while (more && r.head!.unit === unit) {
      const record = r.head!.record;
      if ("call" in record) (calls ??= { unit, kind: "calls", calls: [] }).calls.push(record.call);
      else if ("warning" in record) {
        if (calls) yield calls;
        calls = undefined;
        yield { unit, kind: "warning", text: record.warning };
      }
      if (calls && calls.calls.length >= 1024) {
        yield calls;
        calls = undefined;
      }
      more = await advance(r);
    }
    if (calls) yield calls;
    if (!more) live.splice(at, 1);
  }
}
