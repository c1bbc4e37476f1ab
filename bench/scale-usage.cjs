/**
 * Preloaded (`node -r`) into every process the scale benchmark times: at exit, writes the
 * process's own CPU time and peak RSS to the file named by MCPTAPE_BENCH_USAGE, and on Linux
 * the main thread's share of that CPU time (the rest is V8's compiler and GC helper threads
 * and libuv's file reads). CommonJS, so it does not start the ES module loader in a process
 * that would not otherwise need it.
 */
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a `node -r` preload is CommonJS
const { readFileSync, writeFileSync } = require("node:fs");

/** Clock ticks per second of /proc's CPU times: 100 on every Linux that Node runs on. */
const TICKS_PER_SECOND = 100;

/** The main thread's CPU time in ms (its utime + stime in /proc), or undefined off Linux. */
function mainThreadCpuMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

const out = process.env.MCPTAPE_BENCH_USAGE;
if (out) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, mainCpuMs: mainThreadCpuMs(), maxRss: u.maxRSS * 1024 }));
  });
}
