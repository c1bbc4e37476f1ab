/** Shared by the diff tests: load fixture policies, run the core or the command into strings. */
import { Capture } from "../../src/cli/capture.js";
import { fileURLToPath } from "node:url";
import { diffReplay } from "../../src/diff/diff-replay.js";
import type { DiffedCall } from "../../src/diff/types.js";
import { diffCommand } from "../../src/cli/diff.js";
import { FlagValues } from "../../src/cli/flags.js";
import type { Io } from "../../src/cli/io.js";
import { loadPolicyFile, loadPolicyText } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/model.js";
import { DEFAULT_REPLAY_OPTIONS, type ReplayOptions } from "../../src/replay/types.js";
import { gatewaysOf } from "../gateways.js";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const fixture = (name: string): string => FIXTURES + name;

export async function policyFrom(path: string): Promise<Policy> {
  const { policy, diagnostics } = await loadPolicyFile(path);
  if (policy?.engine !== "model") throw new Error(`fixture policy ${path} does not load: ${JSON.stringify(diagnostics)}`);
  return policy.model;
}

export function policyOf(yaml: string, file = "inline.yaml"): Policy {
  const { policy, diagnostics } = loadPolicyText(yaml, file);
  if (!policy) throw new Error(`inline policy does not load: ${JSON.stringify(diagnostics)}`);
  return policy;
}

export async function diffCalls(base: Policy, head: Policy, tapes: string[], options: Partial<ReplayOptions> = {}): Promise<DiffedCall[]> {
  const out: DiffedCall[] = [];
  const o = { ...DEFAULT_REPLAY_OPTIONS, ...options };
  for await (const call of diffReplay({ base: gatewaysOf(base, o.window), head: gatewaysOf(head, o.window) }, { tapes }, o)) out.push(call);
  return out;
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mcptape diff` in-process with stdout and stderr captured (not a terminal). */
export async function runDiff(tapes: string[], opts: Record<string, unknown>): Promise<Ran> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: Io = { stdout, stderr };
  const code = await diffCommand(tapes, new FlagValues({ report: [], ...opts }), io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
