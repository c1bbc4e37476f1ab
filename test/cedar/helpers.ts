/** The Cedar end-to-end tests run the command line in-process, as a user would type it. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runCli, type CliResult } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

export { ROOT };
export const CEDAR = join(ROOT, "fixtures/cedar");
/** The real server-everything recording; its session line carries alice's or bob's claims. */
export const ALICE_TAPE = join(CEDAR, "everything-alice.jsonl");
export const BOB_TAPE = join(CEDAR, "everything-bob.jsonl");
/** The same recording without claims (stdio has no bearer token). */
export const BARE_TAPE = join(ROOT, "fixtures/tapes/everything.jsonl");

export type Ran = CliResult;

export function mcptape(...args: string[]): Promise<Ran> {
  return runCli(args);
}

export interface JsonDecision {
  tool: string;
  decision: string;
  rule: string | null;
  message: string | null;
  recorded: string | null;
  errors?: string[];
}

export function decisions(ran: Ran): JsonDecision[] {
  return (JSON.parse(ran.stdout) as { decisions: JsonDecision[] }).decisions;
}

/** Writes files into a fresh temp folder (removed after the test file); returns their paths by name without its extension. */
export function files(contents: Record<string, string>): Record<string, string> {
  const dir = tempDir("cedar");
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(contents)) writeFileSync((out[name.replace(/\.[^.]*$/, "")] = join(dir, name)), text);
  return out;
}
