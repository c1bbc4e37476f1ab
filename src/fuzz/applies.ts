/**
 * Which tools a forbidden expression applies to. `args.path contains ".."` means something only
 * for a tool that takes `path`: known from its input schema, from a condition or counter of
 * the policies on it, or from its recorded calls. A property no fuzzed tool has an argument for
 * (a typo like `args.paht`) would pass without ever being tested, so it is an error.
 */
import { InputError } from "../errors.js";
import type { Policy } from "../policy/model.js";
import { nearest } from "../suggest.js";
import { rulesFor } from "./policy-values.js";
import type { FuzzTarget } from "./run.js";
import type { Property } from "./types.js";

/** A forbidden expression and the tools it was checked on, for the report. */
export interface AppliedForbid {
  expr: string;
  tools: string[];
}

/** The top-level arguments a tool is known to take (`cedarArgs`: those the Cedar policies on it read). */
export function knownArguments(target: FuzzTarget, policies: readonly Policy[], cedarArgs: readonly string[] = []): Set<string> {
  const names = new Set<string>(cedarArgs);
  const props = target.inputSchema?.properties;
  if (props !== null && typeof props === "object") for (const k of Object.keys(props)) names.add(k);
  for (const policy of policies) {
    for (const rule of rulesFor(policy, target.name)) {
      for (const c of rule.conditions) if (c.segments[0] === "args" && c.segments[1] !== undefined) names.add(c.segments[1]);
      const from = rule.counter?.incrementFrom?.segments;
      if (from?.[0] === "args" && from[1] !== undefined) names.add(from[1]);
    }
  }
  for (const args of target.recorded) {
    if (args !== null && typeof args === "object" && !Array.isArray(args)) for (const k of Object.keys(args)) names.add(k);
  }
  return names;
}

/**
 * Each forbid bound to the tools that have its argument (one property per tool); throws when
 * a forbid applies to no tool, or a property names a tool without that argument. A forbid on
 * claims applies to every tool: the fuzzer sends the claims it names.
 */
export function bindForbids(properties: readonly Property[], targets: readonly FuzzTarget[], policies: readonly Policy[], cedarArgs: (tool: string) => readonly string[] = () => []): { properties: Property[]; applied: AppliedForbid[] } {
  const known = new Map(targets.map((t) => [t.name, knownArguments(t, policies, cedarArgs(t.name))]));
  const out: Property[] = [];
  const applied: AppliedForbid[] = [];
  for (const p of properties) {
    if (p.kind !== "forbid") {
      out.push(p);
      continue;
    }
    const arg = p.expr.segments[0] === "args" ? p.expr.segments[1] : undefined;
    const candidates = p.tool === undefined ? targets.map((t) => t.name) : known.has(p.tool) ? [p.tool] : [];
    const tools = arg === undefined ? candidates : candidates.filter((t) => known.get(t)!.has(arg));
    if (tools.length === 0) throw notApplicable(p.expr.source, arg ?? "", p.tool === undefined ? targets.map((t) => t.name) : [p.tool], known);
    for (const tool of tools) out.push({ ...p, tool });
    applied.push({ expr: p.expr.source, tools });
  }
  return { properties: out, applied };
}

function notApplicable(source: string, arg: string, tools: string[], known: Map<string, Set<string>>): InputError {
  const all = [...new Set(tools.flatMap((t) => [...(known.get(t) ?? [])]))].sort();
  const guess = nearest(arg, all);
  const SHOWN = 8;
  const listed = tools.slice(0, SHOWN).map((t) => `${t}: ${[...(known.get(t) ?? [])].sort().join(", ") || "none known"}`).join("; ") +
    (tools.length > SHOWN ? `; and ${tools.length - SHOWN} more tools` : "");
  return new InputError(
    `forbidden expression ${JSON.stringify(source)}: no tool fuzzed has an argument \`${arg}\` (in its schema, the policy or recorded calls), so it would never be tested; arguments known: ${listed}`,
    undefined,
    guess ? `did you mean args.${guess}?` : "give --tools with a tape or schema that has it, or fix the path",
  );
}

/** `--tool NAME` must be a tool the schema file, the policies or the properties name. */
export function checkToolName(name: string, known: readonly string[]): void {
  if (known.includes(name)) return;
  const guess = nearest(name, known);
  throw new InputError(
    `--tool ${JSON.stringify(name)} is not a tool this run knows (known tools: ${known.length ? [...known].sort().join(", ") : "none"})`,
    undefined,
    guess ? `did you mean --tool ${guess}?` : "give --tools with a tape or schema that lists it",
  );
}

/**
 * A property's tool that neither the schema file nor the policies name, but close to one they do
 * (`read_flie` for `read_file`), is a typo: its property would hold on calls no one makes, and
 * the tool meant would go unchecked. One far from every known name is fuzzed as it is.
 */
export function checkPropertyTools(tools: readonly string[], known: readonly string[], file: string | undefined): void {
  for (const tool of tools) {
    if (known.includes(tool)) continue;
    const guess = nearest(tool, known);
    if (guess === null) continue;
    throw new InputError(
      `a property names the tool ${JSON.stringify(tool)}, which neither --tools nor the policy names (known tools: ${[...known].sort().join(", ")})`,
      file !== undefined ? { file } : undefined,
      `did you mean ${guess}?`,
    );
  }
}
