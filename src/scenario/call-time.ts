/**
 * The `t` of an inline call: an absolute ISO time with a zone, or an offset from the call
 * before (`+30s`, `+2m`, `+1h`, `+250ms`, or several parts like `+1m30s`).
 */

/** Where the first call without `t` happens. */
export const FIRST_CALL_AT = Date.parse("2026-01-01T00:00:00Z");

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const OFFSET = /^\+((?:\d+(?:\.\d+)?(?:ms|s|m|h))+)$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export type ParsedTime = { kind: "absolute"; t: number } | { kind: "offset"; ms: number };

/** Parses a `t`; returns a reason when it is neither form. */
export function parseCallTime(text: string): ParsedTime | { error: string; hint: string } {
  const s = text.trim();
  if (s.startsWith("+")) {
    if (!OFFSET.test(s)) {
      return { error: `offset ${JSON.stringify(text)} is not a duration`, hint: "write +250ms, +30s, +2m, +1h or +1m30s" };
    }
    let ms = 0;
    for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    return { kind: "offset", ms };
  }
  if (s.startsWith("-")) {
    return { error: `offset ${JSON.stringify(text)} goes back in time`, hint: "offsets count forward from the call before; give an absolute time instead" };
  }
  if (!ISO.test(s)) {
    const noZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s);
    return {
      error: `time ${JSON.stringify(text)} is not an ISO time with a zone`,
      hint: noZone ? `add the zone, like ${s}Z` : 'write an absolute time like "2026-01-01T10:00:00Z" or an offset like "+30s"',
    };
  }
  const t = Date.parse(s);
  if (Number.isNaN(t)) return { error: `time ${JSON.stringify(text)} is not a real date`, hint: "check the month, day and hour" };
  return { kind: "absolute", t };
}
