/**
 * A finding as a scenario file (spec/scenario.md): the calls that break the property and the
 * decision the policy should give the last one. It fails today and passes once the policy is fixed.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { stringify } from "yaml";
import { InputError } from "../errors.js";
import type { Dialect } from "../policy/model.js";
import type { Finding } from "./types.js";

export function scenarioText(f: Finding, policyFile: string, scenarioFile: string, dialect?: Dialect): string {
  const v = f.violation;
  const calls = v.outcomes.map((o, i) => ({
    t: i === 0 ? new Date(o.t).toISOString() : `+${o.t - v.outcomes[i - 1]!.t}ms`,
    tool: f.tool,
    args: o.args,
  }));
  const policy = relative(dirname(resolve(scenarioFile)), resolve(policyFile)).split(sep).join("/");
  const doc = {
    name: `fuzz: ${f.tool} ${v.property}`,
    description: `Found by mcptape fuzz (fast-check seed ${f.fcSeed}, path ${f.path}); call ${v.callIndex + 1} should be ${v.expected}.`,
    policy,
    ...(dialect ? { dialect } : {}),
    calls,
    expect: { calls: [{ call: v.callIndex + 1, decision: v.expected }] },
  };
  return stringify(doc, { lineWidth: 0 });
}

/** Writes the finding under `dir` and returns the file's path. */
export function saveScenario(dir: string, f: Finding, policyFile: string, dialect?: Dialect): string {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new InputError(`cannot make ${dir}: ${(err as Error).message}`, { file: dir }, "check the path given with --save");
  }
  const slug = `${f.tool}-${f.violation.kind}`.replace(/[^A-Za-z0-9_.-]+/g, "_");
  const probe = join(dir, `${slug}.yaml`);
  const text = scenarioText(f, policyFile, probe, dialect);
  const file = join(dir, `${slug}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}.yaml`);
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new InputError(`cannot write ${file}: ${(err as Error).message}`, { file }, "check the path given with --save");
  }
  return file;
}
