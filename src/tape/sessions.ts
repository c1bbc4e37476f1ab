/**
 * What a tape says about who called and what was offered, for coverage after a run: the
 * tools its tools/list answers name and each session's identity and claims. A run on worker
 * threads or split over shards keeps no gateway that saw every tape, so coverage reads this
 * from the tapes (or from a results file, which carries it).
 */
import { InputError } from "../errors.js";
import { readTape } from "./reader.js";
import { readTools, type ToolInfo } from "./tools.js";

export interface TapeSession {
  session: string;
  identity?: string;
  claims?: Record<string, unknown>;
}

export interface TapeSightings {
  tools: ToolInfo[];
  sessions: TapeSession[];
}

/** The tape's listed tools (none when it lists none) and its sessions, in tape order. */
export async function sightingsOfTape(tape: string): Promise<TapeSightings> {
  let tools: ToolInfo[] = [];
  try {
    tools = await readTools(tape);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
  }
  const sessions: TapeSession[] = [];
  for await (const { line } of readTape(tape)) {
    if (line.kind !== "session") continue;
    sessions.push({ session: line.session, ...(line.identity !== undefined ? { identity: line.identity } : {}), ...(line.claims !== undefined ? { claims: line.claims } : {}) });
  }
  return { tools, sessions };
}
