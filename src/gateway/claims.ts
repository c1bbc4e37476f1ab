/** Claims per identity (`--claims FILE`, a scenario's `identities:`), for sessions that carry none. */
import { InputError, type Position } from "../errors.js";
import type { Claims } from "./cedar.js";

const HINT = "write one mapping per identity, like alice: { sub: alice, groups: [finance] }";

/** `{identity: {claim: value}}` as a map; anything else is an InputError at `where`. */
export function claimsByIdentity(doc: unknown, where: Position): Map<string, Claims> {
  if (!isMapping(doc)) throw new InputError("claims must be a mapping of identities to their claims", where, HINT);
  const out = new Map<string, Claims>();
  for (const [identity, claims] of Object.entries(doc)) {
    if (!isMapping(claims)) throw new InputError(`the claims of ${JSON.stringify(identity)} are not a mapping`, where, HINT);
    out.set(identity, claims);
  }
  return out;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
