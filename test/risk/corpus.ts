/**
 * The labelled test set: the Intercept policy scaffolds in the shared corpus sort every tool
 * into a risk group with `#  ── Read Tools ───` headers, then `#  tool: description` comments.
 * Part of the corpus suite: read from the folder MCPTAPE_CORPUS names (test/helpers/corpus.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RISK_CLASSES, type RiskClass } from "../../src/risk/classes.js";

export interface LabelledTool {
  file: string;
  name: string;
  description: string;
  label: RiskClass;
}

const HEADER = /^\s*#\s+──\s+(\w+) Tools\b/;
const COMMENT = /^\s*#\s+(\S+?):\s+(.*)$/;
const KEY = /^\s+("?)([^"\s#][^"]*?)\1:\s*$/;

/** Every labelled tool: a `# name: description` comment followed by that tool's key, under a class header. */
export function readLabelledTools(dir: string): LabelledTool[] {
  const tools: LabelledTool[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    let label: RiskClass | undefined;
    let pending: { name: string; description: string } | undefined;
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      const header = HEADER.exec(line);
      if (header) {
        label = (RISK_CLASSES as readonly string[]).includes(header[1]!) ? (header[1] as RiskClass) : undefined;
        pending = undefined;
        continue;
      }
      const comment = COMMENT.exec(line);
      if (comment) {
        pending = { name: comment[1]!, description: comment[2]!.trim() };
        continue;
      }
      const key = KEY.exec(line);
      if (key && pending && label && key[2] === pending.name) tools.push({ file, ...pending, label });
      pending = undefined;
    }
  }
  return tools;
}
