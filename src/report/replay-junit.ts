/**
 * `replay --format junit`: a test suite per tape, a test case per call; a call fails when its
 * outcome is one of `--fail-on`. A suite's opening tag carries its counts, known only at the
 * end, so each tape's cases are spooled to a temporary file as they come and copied out
 * behind their counted tag at the end: memory stays flat however long the tape.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { trackTempFile, untrackTempFile } from "../temp-files.js";
import type { DecidedCall } from "../replay/types.js";
import { xml } from "./escape.js";
import { failsOn, messageWithErrors, type ReplayMeta, type ReplayRenderer } from "./replay-renderer.js";

interface Suite {
  name: string;
  tests: number;
  failures: number;
  /** The spool file of its cases, and text not yet written there. */
  file: string;
  fd: number;
  pending: string;
}

const SPOOL_AT = 64 * 1024;
const COPY_CHUNK = 64 * 1024;

export function replayJunit(): ReplayRenderer<Iterable<string>> {
  let meta: ReplayMeta;
  let dir: string | undefined;
  const suites = new Map<string, Suite>();
  const spool = (s: Suite) => {
    writeSync(s.fd, s.pending);
    s.pending = "";
  };
  const removeSpool = () => {
    for (const s of suites.values()) closeSync(s.fd);
    rmSync(dir!, { recursive: true, force: true });
    untrackTempFile(dir!);
  };
  return {
    start(m) {
      meta = m;
      return "";
    },
    call(call: DecidedCall) {
      let suite = suites.get(call.tape);
      if (!suite) {
        if (dir === undefined) {
          dir = mkdtempSync(join(tmpdir(), "mcptape-junit-"));
          trackTempFile(dir, removeSpool);
        }
        const file = join(dir, `${suites.size}.xml`);
        suites.set(call.tape, (suite = { name: call.tape, tests: 0, failures: 0, file, fd: openSync(file, "w+"), pending: "" }));
      }
      suite.tests++;
      const d = call.decision;
      const name = `#${call.seq} ${call.tool} (${call.session}): ${d.decision}${d.rule ? ` by ${d.rule}` : ""}`;
      let body = "";
      if (failsOn(call, meta.failOn)) {
        suite.failures++;
        const why = call.changed && meta.failOn.has("changed") && !meta.failOn.has(d.decision)
          ? `changed from the recording: ${call.recorded?.decision} -> ${d.decision}`
          : `${d.decision}`;
        body = `\n      <failure message="${xml(why)}" type="${xml(d.decision)}">${xml(`${call.tape}:${call.line}: ${messageWithErrors(d)}`)}</failure>\n    `;
      }
      suite.pending += `    <testcase classname="${xml(call.tool)}" name="${xml(name)}">${body}</testcase>\n`;
      if (suite.pending.length >= SPOOL_AT) spool(suite);
      return "";
    },
    *end() {
      const all = [...suites.values()];
      const tests = all.reduce((n, s) => n + s.tests, 0);
      const failures = all.reduce((n, s) => n + s.failures, 0);
      yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mcptape replay ${xml(meta.policy)}" tests="${tests}" failures="${failures}">\n`;
      const buffer = Buffer.alloc(COPY_CHUNK);
      for (const s of all) {
        spool(s);
        yield `  <testsuite name="${xml(s.name)}" tests="${s.tests}" failures="${s.failures}">\n`;
        const text = new StringDecoder("utf8"); // a chunk may end inside a character
        let at = 0;
        for (let n; (n = readSync(s.fd, buffer, 0, COPY_CHUNK, at)) > 0; at += n) yield text.write(buffer.subarray(0, n));
        yield "  </testsuite>\n";
      }
      yield "</testsuites>\n";
      if (dir !== undefined) removeSpool();
    },
  };
}
