/** Fuzzing a policy written inline, with fixed seeds so every run finds the same things. */
import { loadPolicyText } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/model.js";
import { parseForbid } from "../../src/fuzz/expr.js";
import { loadedModel } from "../gateways.js";
import { runFuzz, type FuzzOptions, type FuzzTarget } from "../../src/fuzz/run.js";
import type { FuzzResult, Property } from "../../src/fuzz/types.js";

/** A policy whose one rule lets send_email through ten times a minute (bursts at the window's edge). */
export const TEN_A_MINUTE = `
version: "1"
tools:
  send_email:
    rules:
      - name: ten a minute
        rate_limit: 10/minute
`;

export function policyOf(yaml: string, file = "policy.yaml"): Policy {
  const { policy, diagnostics } = loadPolicyText(yaml, file);
  if (!policy) throw new Error(diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"));
  return policy;
}

export function forbid(expr: string, tool?: string): Property {
  return { kind: "forbid", ...(tool ? { tool } : {}), expr: parseForbid(expr) };
}

export function fuzz(
  yaml: string,
  tools: (string | FuzzTarget)[],
  properties: Property[],
  more: Partial<FuzzOptions> = {},
): FuzzResult {
  const targets = tools.map((t) => (typeof t === "string" ? { name: t, recorded: [] } : t));
  return runFuzz({ policy: loadedModel(policyOf(yaml)), targets, properties, runs: 10_000, seed: 42, timeMs: 4000, ...more });
}

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Io } from "../../src/cli/io.js";
import { tempDir } from "../helpers/temp-dir.js";

/** Writes `files` (name -> text) into a fresh folder; returns the folder. */
export function writeFiles(files: Record<string, string>): string {
  const dir = tempDir("fuzz");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** An Io that keeps what a command prints (not a terminal: no progress bar). */
export function captureIo(): Io & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const stream = (add: (s: string) => void) => new Writable({ write(chunk, _enc, done) { add(String(chunk)); done(); } });
  return { stdout: stream((s) => (out += s)), stderr: stream((s) => (err += s)), out: () => out, err: () => err };
}
