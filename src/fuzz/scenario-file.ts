/**
 * A finding as a scenario file (spec/scenario.md): the calls that break the property and the
 * decision the policy should give the last one. It fails today and passes once the policy is fixed.
 */
import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { stringify } from "yaml";
import { InputError } from "../errors.js";
import { unreadable } from "../files.js";
import type { CedarProfile } from "../cedar/index.js";
import type { ToolhiveRateLimitConfig } from "../cedar/toolhive-rate-limit.js";
import type { Dialect } from "../policy/model.js";
import type { ToolInfo } from "../tape/tools.js";
import type { Finding } from "./types.js";

/** What a Cedar scenario needs beside the policy (docs/spec/dialect-cedar.md, Scenario files). */
export interface CedarScenario {
  profile: CedarProfile;
  gateway: { server?: string; target?: string; gatewayArn?: string };
  /** The cedar-for-agents stub file (`--stub`), written as a path from the scenario. */
  stub?: string;
  /** The extra entities file (`--entities`), written as a path from the scenario. */
  entities?: string;
  /** What tools/list said (annotations and schemas the profile reads). */
  tools: readonly ToolInfo[];
  limits?: ToolhiveRateLimitConfig;
}

/** The identity a saved Cedar finding's calls are made as. */
const CALLER = "caller";

export function scenarioText(f: Finding, policyFile: string, scenarioFile: string, dialect?: Dialect, cedar?: CedarScenario): string {
  const v = f.violation;
  const claims = f.case.claims;
  const calls = v.outcomes.map((o, i) => ({
    t: i === 0 ? new Date(o.t).toISOString() : `+${o.t - v.outcomes[i - 1]!.t}ms`,
    tool: f.tool,
    args: o.args,
    ...(claims ? { identity: CALLER } : {}),
  }));
  const from = (file: string) => relative(dirname(resolve(scenarioFile)), resolve(file)).split(sep).join("/");
  const policy = from(policyFile);
  const doc = {
    name: `fuzz: ${f.tool} ${v.property}`,
    description: `Found by mcptape fuzz (fast-check seed ${f.fcSeed}, path ${f.path}); call ${v.callIndex + 1} should be ${v.expected}.`,
    policy,
    ...(cedar ? { dialect: "cedar" } : dialect ? { dialect } : {}),
    ...(cedar ? cedarFields(cedar, f.tool, from) : {}),
    ...(claims ? { identities: { [CALLER]: claims } } : {}),
    calls,
    expect: { calls: [{ call: v.callIndex + 1, decision: v.expected }] },
  };
  return stringify(doc, { lineWidth: 0 });
}

/** The profile, its settings (files as paths from the scenario: `from`), the tool as listed, ToolHive's limits. */
function cedarFields(c: CedarScenario, tool: string, from: (file: string) => string): Record<string, unknown> {
  const gateway = {
    ...Object.fromEntries(Object.entries(c.gateway).filter(([, v]) => v !== undefined)),
    ...(c.stub ? { stub: from(c.stub) } : {}),
    ...(c.entities ? { entities: from(c.entities) } : {}),
  };
  const listed = c.tools.filter((t) => t.name === tool);
  return {
    profile: c.profile,
    ...(Object.keys(gateway).length > 0 ? { gateway } : {}),
    ...(listed.length > 0 ? { tools: listed } : {}),
    ...(c.limits ? { limits: c.limits } : {}),
  };
}

/**
 * Fails at once when scenarios cannot be saved in `dir` (a file in its place or on its path, a
 * parent not writable), rather than after a long run, whose findings would then go unreported.
 */
export function checkSaveFolder(dir: string): void {
  const hint = "give --save a folder that can be made and written";
  let at = resolve(dir);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  if (!statSync(at).isDirectory()) {
    throw new InputError(`cannot save scenarios in ${dir}: ${at === resolve(dir) ? "it is a file, not a folder" : `${at} is a file, not a folder`}`, { file: dir }, hint);
  }
  try {
    accessSync(at, constants.W_OK);
  } catch (err) {
    throw new InputError(`cannot save scenarios in ${dir}: ${unreadable(err)}`, { file: dir }, hint);
  }
}

/**
 * Where under `dir` the finding is saved (named by its tool, kind and text, so the same finding
 * is the same file), and its text; the folder is made now. The caller writes it with the run's
 * reports, so it appears whole, and only when they do.
 */
export function scenarioFile(dir: string, f: Finding, policyFile: string, dialect?: Dialect, cedar?: CedarScenario): { file: string; text: string } {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new InputError(`cannot make ${dir}: ${(err as Error).message}`, { file: dir }, "check the path given with --save");
  }
  const slug = `${f.tool}-${f.violation.kind}`.replace(/[^A-Za-z0-9_.-]+/g, "_");
  const probe = join(dir, `${slug}.yaml`);
  const text = scenarioText(f, policyFile, probe, dialect, cedar);
  return { file: join(dir, `${slug}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}.yaml`), text };
}
