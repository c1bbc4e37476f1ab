/**
 * `replay --format github`: workflow annotations. A call the run fails on is an error, any
 * other refusal a warning, pointing at the tape line that recorded the call.
 */
import { ghData, ghProperty } from "./escape.js";
import { failsOn, messageWithErrors, type ReplayMeta, type ReplayRenderer } from "./replay-renderer.js";
import { headline } from "./replay-text.js";

export function replayGithub(): ReplayRenderer {
  let meta: ReplayMeta;
  return {
    start(m) {
      meta = m;
      return "";
    },
    call(call) {
      const d = call.decision;
      const failing = failsOn(call, meta.failOn);
      if (d.decision === "allow" && !failing) return "";
      const level = failing ? "error" : "warning";
      const title = `${call.tool}: ${d.decision}${d.rule ? ` by ${d.rule}` : ""}`;
      const changed = call.changed ? ` (recorded: ${call.recorded?.decision})` : "";
      return `::${level} file=${ghProperty(call.tape)},line=${call.line},title=${ghProperty(title)}::${ghData(`${messageWithErrors(d) || d.decision}${changed}`)}\n`;
    },
    end({ totals }) {
      return `::notice title=mcptape replay::${ghData(headline(totals.summary))}\n`;
    },
  };
}
