/**
 * Preloaded (`node -r`) into every process the scale benchmark times: at exit, writes the
 * process's own CPU time and peak RSS to the file named by MCPTAPE_BENCH_USAGE. CommonJS, so
 * it does not start the ES module loader in a process that would not otherwise need it.
 */
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a `node -r` preload is CommonJS
const { writeFileSync } = require("node:fs");

const out = process.env.MCPTAPE_BENCH_USAGE;
if (out) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRss: u.maxRSS * 1024 }));
  });
}
