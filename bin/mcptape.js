#!/usr/bin/env node
// CommonJS (bin/package.json), like dist/cli/start.cjs: `mcptape --help` then starts no ES module loader.
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry
require("../dist/cli/start.cjs").start(process.argv).then((code) => {
  process.exitCode = code;
});
