/** The replay flags shared by replay and both sides of a diff, checked as replay options. */
import { replayOptionsFromFlags } from "../replay/options.js";
import type { ReplayOptions } from "../replay/types.js";
import type { FlagValues } from "./flags.js";

export function replayFlagsFrom(values: FlagValues): ReplayOptions {
  return replayOptionsFromFlags({
    speed: values.string("speed"),
    at: values.string("at"),
    approvals: values.string("approvals"),
    rollbackOn: values.string("rollbackOn"),
    window: values.string("window"),
    identity: values.string("identity"),
    together: values.bool("together"),
  });
}
