/**
 * Requests pair with their answers by (tape, session, id), per direction: the client's id 0
 * and the server's id 0 are different requests, and "1" and 1 are different ids. `tape` is
 * whatever tells the tapes of one pairing apart: a replay gives a short tag (events.ts).
 */
export function pairingKey(tape: string, session: string, id: unknown): string {
  return `${tape}\u0000${session}\u0000${typeof id === "string" ? "s" + id : "n" + String(id)}`;
}
