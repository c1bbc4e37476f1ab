/**
 * The caller's token claims, for policies that decide by who calls (Cedar): one of the
 * identities given (`--claims FILE`), or a plain caller (also beside identities none of which
 * has a subject), then a few claims set to the values the
 * policy compares with (groups under each claim name a gateway reads them from) or removed.
 */
import fc from "fast-check";
import { applyEdit, type Edit } from "./args-arb.js";
import type { PathValues } from "./policy-values.js";

export type Claims = Record<string, unknown>;

/** Who calls when no identity is given: a caller with a subject and nothing else. */
export const PLAIN_CALLER: Claims = { sub: "fuzz-caller" };

export function claimsArb(identities: readonly Claims[], values: readonly PathValues[]): fc.Arbitrary<Claims> {
  // Callers without a subject are refused before Cedar (ToolHive, AgentCore): with only those, no case would reach the policy.
  const callers = identities.some((c) => typeof c.sub === "string" && c.sub !== "") ? identities : [...identities, PLAIN_CALLER];
  const base = fc.constantFrom(...callers);
  if (values.length === 0) return base;
  const edits = values.flatMap((pv) => [
    { arbitrary: pv.values.map((value): Edit => ({ kind: "set", path: pv.path, value })), weight: 4 },
    { arbitrary: fc.constant<Edit>({ kind: "delete", path: pv.path }), weight: 1 },
  ]);
  return fc.tuple(base, fc.array(fc.oneof(...edits), { maxLength: 3 })).map(([b, es]) => {
    let claims: unknown = b;
    for (const e of es) claims = applyEdit(claims, e);
    return claims as Claims;
  });
}
