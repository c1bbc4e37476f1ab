/**
 * Risk advice for `replay --coverage`: the tools the tapes' `tools/list` answers name, their
 * classes, and the rules the policy lacks for them. Tapes that never listed tools add nothing.
 */
import { InputError } from "../errors.js";
import type { Policy } from "../policy/model.js";
import { readTools, type ToolInfo } from "../tape/tools.js";
import { adviseTools, policyGaps, type ToolAdvice } from "./advice.js";

export interface TapeAdvice {
  tools: ToolAdvice[];
  /** `policy.yaml:12:3: write_file is a Write tool (...) and has no rate limit; add ...` */
  warnings: string[];
}

export async function adviceForTapes(policy: Policy, tapes: string[]): Promise<TapeAdvice | undefined> {
  return adviceForTools(policy, await Promise.all(tapes.map(toolsOfTape)));
}

/** The tools a tape's `tools/list` answers name; none when it has none or cannot be read. */
export async function toolsOfTape(tape: string): Promise<ToolInfo[]> {
  try {
    return await readTools(tape);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return [];
  }
}

/** Advice from each tape's tools, in tape order (a later tape's listing of a tool wins). */
export function adviceForTools(policy: Policy, perTape: ToolInfo[][]): TapeAdvice | undefined {
  const byName = new Map<string, ToolInfo>();
  for (const tools of perTape) for (const tool of tools) byName.set(tool.name, tool);
  if (byName.size === 0) return undefined;
  const tools = [...byName.values()];
  const warnings = policyGaps(policy, tools).map((g) => `${policy.file}${g.pos?.line ? `:${g.pos.line}:${g.pos.col ?? 1}` : ""}: ${g.message}`);
  return { tools: adviseTools(tools), warnings };
}
