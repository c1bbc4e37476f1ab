/**
 * What a tape says about who called and what was offered, for coverage after a run: the
 * tools its tools/list answers name and each session's identity and claims. A run on worker
 * threads or split over shards keeps no gateway that saw every tape, so coverage reads this
 * from the tapes (or from a results file, which carries it).
 */
import { InputError } from "../errors.js";
import { readTape } from "./reader.js";
import { ToolListings, type ToolInfo } from "./tools.js";

export interface TapeSession {
  session: string;
  identity?: string;
  claims?: Record<string, unknown>;
}

export interface TapeSightings {
  tools: ToolInfo[];
  sessions: TapeSession[];
}

/** The tape's listed tools (none when a listing is not a list of tools) and its sessions, in tape order, in one read. */
export async function sightingsOfTape(tape: string): Promise<TapeSightings> {
  const listed = new ToolListings(tape);
  let badListing = false;
  const sessions: TapeSession[] = [];
  for await (const { line } of readTape(tape)) {
    if (line.kind === "session") {
      sessions.push({ session: line.session, ...(line.identity !== undefined ? { identity: line.identity } : {}), ...(line.claims !== undefined ? { claims: line.claims } : {}) });
    } else if (!badListing) {
      try {
        listed.see(line);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        badListing = true; // as readTools would refuse the tape's tools: none
      }
    }
  }
  return { tools: badListing ? [] : listed.tools(), sessions };
}
