/**
 * Colours for terminal output. `--color always|never` decides; `auto` (the default) colours
 * only text going to a terminal, or when FORCE_COLOR says so, and NO_COLOR turns them off
 * (chalk's own detection reads both).
 */
import { Chalk, supportsColor, type ChalkInstance } from "chalk";
import type { DecisionKind } from "../engine/types.js";
import type { ColorMode } from "./color-mode.js";

export function makeStyle(toTerminal: boolean, color: ColorMode = "auto"): ChalkInstance {
  if (color === "never") return new Chalk({ level: 0 });
  // Asked for in so many words: at least the 16 basic colours, even where chalk detects none.
  if (color === "always") return new Chalk({ level: supportsColor ? Math.max(1, supportsColor.level) as 1 | 2 | 3 : 1 });
  const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0";
  const level = (toTerminal || forced) && supportsColor ? supportsColor.level : 0;
  return new Chalk({ level });
}

export function paintDecision(style: ChalkInstance, kind: DecisionKind, text: string = kind): string {
  switch (kind) {
    case "allow":
      return style.green(text);
    case "deny":
      return style.red(text);
    case "throttle":
      return style.yellow(text);
    case "approval":
      return style.magenta(text);
    case "undecided":
      return style.gray(text);
  }
}
