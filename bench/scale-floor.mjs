/**
 * The floors the scale benchmark measures replay against, as plain Node (no tsx, no mcptape):
 * `node bench/scale-floor.mjs chunked|readline|sync FILE [PASSES]` reads a tape and JSON.parses every
 * line; with PASSES, that many times in this one process, printing each pass's CPU time in ms
 * (the warm-up benchmark's baseline).
 * - chunked: 64 KiB chunks, each decoded once, split on newlines (the carried-over part of a
 *   line joined to the next chunk's text);
 * - readline: node:readline over a read stream;
 * - sync: the same as chunked but read with readSync into one reused 64 KiB buffer, as
 *   mcptape's tape reader reads (src/tape/reader.ts): no stream, no new buffer per chunk.
 * Prints the number of lines parsed.
 */
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { createInterface } from "node:readline";
import { StringDecoder } from "node:string_decoder";

const [mode, file] = process.argv.slice(2);

/** The lines of a tape given as chunks of bytes: each chunk decoded once, split on newlines (the carried-over part of a line joined to the next chunk's text), every line JSON.parsed. */
async function countLines(chunks) {
  const decoder = new StringDecoder("utf8");
  let lines = 0;
  let rest = "";
  for await (const chunk of chunks) {
    const text = rest + decoder.write(chunk);
    let s = 0;
    for (let n = text.indexOf("\n"); n !== -1; n = text.indexOf("\n", s)) {
      if (JSON.parse(text.slice(s, n)).kind) lines++;
      s = n + 1;
    }
    rest = text.slice(s);
  }
  if (rest.trim() !== "" && JSON.parse(rest).kind) lines++;
  return lines;
}

const chunked = (path) => countLines(createReadStream(path, { highWaterMark: 64 * 1024 }));

async function readline(path) {
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line !== "" && JSON.parse(line).kind) lines++;
  }
  return lines;
}

/** 64 KiB chunks read with readSync into one reused buffer (each is decoded before the next read). */
function* readSyncChunks(path) {
  const fd = openSync(path, "r");
  const buffer = Buffer.allocUnsafe(64 * 1024);
  try {
    for (let bytes = readSync(fd, buffer); bytes > 0; bytes = readSync(fd, buffer)) yield buffer.subarray(0, bytes);
  } finally {
    closeSync(fd);
  }
}

const sync = (path) => countLines(readSyncChunks(path));

const modes = { chunked, readline, sync };
if (!modes[mode]) throw new Error(`usage: node bench/scale-floor.mjs ${Object.keys(modes).join("|")} FILE [PASSES]`);
const passes = process.argv[4];
if (passes === undefined) {
  console.log(await modes[mode](file));
} else {
  for (let i = 0; i < Number(passes); i++) {
    const before = process.cpuUsage();
    await modes[mode](file);
    const used = process.cpuUsage(before);
    console.log((used.user + used.system) / 1000);
  }
}
