/**
 * Preloaded (`node -r`) into every process the scale benchmark times: at exit, writes the
 * process's own CPU time and peak RSS to the file named by MCPTAPE_BENCH_USAGE, and on Linux
 * the main thread's share of that CPU time (the rest is V8's compiler and GC helper threads
 * and libuv's file reads). CommonJS, so it does not start the ES module loader in a process
 * that would not otherwise need it.
 */
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a `node -r` preload is CommonJS
const { writeFileSync } = require("node:fs");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a `node -r` preload is CommonJS
const { threadCpuMs } = require("./proc-cpu.cjs");

/** The main thread's CPU time in ms, or undefined off Linux. */
function mainThreadCpuMs() {
  try {
    return threadCpuMs(process.pid, process.pid);
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
