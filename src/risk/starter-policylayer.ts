/**
 * A starter PolicyLayer policy: the same choices as the Intercept starter in PolicyLayer JSON.
 * JSON has no comments, so the classes are not in the file; `mcptape init` prints them.
 */
import type { ToolInfo } from "../tape/tools.js";
import { RECOMMENDED_RATE } from "./classes.js";
import { starterEntries } from "./starter.js";

export function policyLayerStarter(tools: ToolInfo[]): string {
  // Pairs, not assignment: a tool named __proto__ must stay a key.
  const entries: [string, unknown][] = [];
  for (const { tool, classification } of starterEntries(tools)) {
    const rate = classification.class === "Write" || classification.class === "Execute" ? RECOMMENDED_RATE[classification.class] : undefined;
    if (rate !== undefined) {
      entries.push([tool.name, { limits: [{ counter: `${tool.name}_rate`, window: "minute", max: rate, scope: "grant" }] }]);
    } else if (classification.class === "Destructive" || classification.class === "Financial") {
      entries.push([tool.name, { require_approval: true }]);
    } else {
      entries.push([tool.name, {}]);
    }
  }
  return JSON.stringify({ version: "1", default: "deny", tools: Object.fromEntries(entries) }, null, 2) + "\n";
}
