/**
 * The sessions an HTTP recorder has seen, each under its `Mcp-Session-Id`: its session on the
 * tape (session line, identity) and its own upstream connections (an Agent), so one
 * session's long SSE stream never queues another session's requests.
 */
import type { Agent } from "node:http";
import type { RecordingTape } from "./recording-tape.js";

export interface HttpSession {
  readonly id: string;
  readonly agent: Agent;
}

/** Requests to a server that assigns no session id are taped under this name (per identity). */
export function statelessSession(identity: string | undefined): string {
  return identity === undefined ? "stateless" : `stateless ${identity}`;
}

export class HttpSessions {
  private readonly byId = new Map<string, HttpSession>();

  constructor(
    private readonly tape: RecordingTape,
    private readonly newAgent: () => Agent,
    private readonly claimsOf: (identity: string | undefined) => Record<string, unknown> | undefined = () => undefined,
  ) {}

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /**
   * The session `id`, made on first sight with the identity of the request that named it
   * and `agent` (the connection the request that created it used), or a new agent.
   */
  get(id: string, identity: string | undefined, agent?: Agent): HttpSession {
    let session = this.byId.get(id);
    if (session === undefined) {
      session = { id, agent: agent ?? this.newAgent() };
      this.byId.set(id, session);
      // What its session line will say about the caller.
      this.tape.session({ session: id, identity, claims: this.claimsOf(identity) });
    }
    return session;
  }

  destroyAgents(): void {
    for (const s of this.byId.values()) s.agent.destroy();
  }
}
