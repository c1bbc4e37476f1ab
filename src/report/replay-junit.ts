/**
 * `replay --format junit`: a test suite per tape, a test case per call; a call fails when its
 * outcome is one of `--fail-on`. Cases are kept as text until the end, since a suite's
 * opening tag carries its counts.
 */
import type { DecidedCall } from "../replay/types.js";
import { xml } from "./escape.js";
import { failsOn, messageWithErrors, type ReplayMeta, type ReplayRenderer } from "./replay-renderer.js";

interface Suite {
  name: string;
  tests: number;
  failures: number;
  cases: string[];
}

export function replayJunit(): ReplayRenderer {
  let meta: ReplayMeta;
  const suites = new Map<string, Suite>();
  return {
    start(m) {
      meta = m;
      return "";
    },
    call(call: DecidedCall) {
      let suite = suites.get(call.tape);
      if (!suite) suites.set(call.tape, (suite = { name: call.tape, tests: 0, failures: 0, cases: [] }));
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
      suite.cases.push(`    <testcase classname="${xml(call.tool)}" name="${xml(name)}">${body}</testcase>`);
      return "";
    },
    end() {
      const all = [...suites.values()];
      const tests = all.reduce((n, s) => n + s.tests, 0);
      const failures = all.reduce((n, s) => n + s.failures, 0);
      const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="mcptape replay ${xml(meta.policy)}" tests="${tests}" failures="${failures}">`];
      for (const s of all) {
        out.push(`  <testsuite name="${xml(s.name)}" tests="${s.tests}" failures="${s.failures}">`, ...s.cases, "  </testsuite>");
      }
      out.push("</testsuites>");
      return out.join("\n") + "\n";
    },
  };
}
