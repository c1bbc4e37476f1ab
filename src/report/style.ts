/**
 * Colours for terminal output. On only when the text goes to a terminal, or when FORCE_COLOR
 * says so; NO_COLOR turns them off (chalk's own detection reads both).
 */
import { Chalk, supportsColor, type ChalkInstance } from "chalk";
import type { DecisionKind } from "../engine/types.js";

export function makeStyle(toTerminal: boolean): ChalkInstance {
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
