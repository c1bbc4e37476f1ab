/** The Cedar end-to-end tests run the command line in-process, as a user would type it. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../scenario/helpers.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CEDAR = join(ROOT, "fixtures/cedar");
/** The real server-everything recording; its session line carries alice's or bob's claims. */
export const ALICE_TAPE = join(CEDAR, "everything-alice.jsonl");
export const BOB_TAPE = join(CEDAR, "everything-bob.jsonl");
/** The same recording without claims (stdio has no bearer token). */
export const BARE_TAPE = join(ROOT, "fixtures/tapes/everything.jsonl");

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export async function mcptape(...args: string[]): Promise<Ran> {
  const io = captureIo();
  const code = await main(["node", "mcptape", ...args], io);
  return { code, stdout: io.out(), stderr: io.err() };
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

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes files into a fresh temp folder (removed after the test); returns their paths by name without its extension. */
export function files(contents: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "mcptape-cedar-"));
  dirs.push(dir);
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(contents)) writeFileSync((out[name.replace(/\.[^.]*$/, "")] = join(dir, name)), text);
  return out;
}
