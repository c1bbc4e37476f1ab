/**
 * A thread's CPU time from Linux's /proc: utime + stime of /proc/PID/task/TID/stat, in ms.
 * CommonJS, so the scale benchmark's `node -r` preload can require it without starting the
 * ES module loader. Throws when the file cannot be read (not Linux, or the thread has ended).
 */
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS, for a `node -r` preload
const { readFileSync } = require("node:fs");

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every Linux that Node runs on. */
const TICKS_PER_SECOND = 100;

function threadCpuMs(pid, tid) {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
  // The fields after the command name (which may hold spaces) in parentheses; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

module.exports = { threadCpuMs };
