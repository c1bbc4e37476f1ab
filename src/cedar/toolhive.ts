/**
 * ToolHive's Cedar authorizer (stacklok/toolhive pkg/authz/authorizers/cedar, core.go and
 * entity.go at e25de16c), rebuilt request for request:
 *  - principal `Client::"<sub>"`; a missing, empty or non-string `sub` is refused before Cedar
 *    (ErrMissingPrincipal). Its attributes are the claims as `claim_<k>` (the auth layer drops
 *    `tsid` first), plus `claimset_<k>` for `multi_valued_claims`; its parents are group entities
 *    (`THVGroup` unless `group_entity_type`) from `group_claim_name`, else the first of `groups`,
 *    `roles`, `cognito:groups` that holds an array, plus `role_claim_name`, deduplicated.
 *  - action `Action::"call_tool"` with `operation: "call_tool"`.
 *  - resource `Tool::"<tool>"`: the tool's boolean annotation hints, every `arg_*`, then `name`,
 *    `operation: "call"`, `feature: "tool"`; parent `MCP::"<server>"` when a server is named.
 *  - context: `claim_*` (and `claimset_*`) merged with `arg_*`.
 * Values go through Go: JSON numbers are float64, turned into decimals by cedar-go's
 * NewDecimalFromFloat (truncated, dropped outside int64); null is dropped; nesting past 10 is cut.
 * Any evaluation error denies (IsAuthorized returns an error whenever Cedar reports one).
 */
import type { CedarCall, ProfileSettings, ToolhiveOptions } from "./types.js";
import type { Built, Profile } from "./engine.js";
import type { CedarValueJson, EntityJson, TypeAndId } from "./wasm.js";


/** The claims ToolHive reads groups from when `group_claim_name` gives none, in this order. */
export const DEFAULT_GROUP_CLAIMS = ["groups", "roles", "cognito:groups"];
/** cedar-go's maxClaimNestingDepth. */
const MAX_DEPTH = 10;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const TWO_POW_63 = 2 ** 63;
const HINTS = ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"];

export function toolhiveProfile(settings: ProfileSettings): Profile {
  const options = settings.toolhive ?? {};
  const groupType = options.groupEntityType || "THVGroup";
  return {
    name: "toolhive",
    errorsDeny: true,
    listFilter: "no-arguments",
    denyMessage: () => "Unauthorized",
    build(call: CedarCall): Built {
      const claims = call.claims;
      const sub = claims?.sub;
      if (claims === undefined || typeof sub !== "string" || sub === "") {
        return {
          refused: "(no principal)",
          why: claims === undefined
            ? "no claims for this caller: ToolHive needs a bearer token with a `sub` claim (give --claims FILE or claims on the session line)"
            : "the caller's claims have no string `sub`: ToolHive refuses the call before Cedar (missing principal)",
        };
      }
      const groups = groupsOf(claims, options);
      // Claims (claim_*, claimset_*), arguments (arg_*) and the resource's own keys never share a
      // key, so converting each part once and merging equals ToolHive's merge-then-convert.
      const claimValues = goRecord(claimAttributes(claims, options.multiValuedClaims ?? []), 0);
      const argValues = goRecord(argAttributes(call.args), 0);
      const principal: TypeAndId = { type: "Client", id: sub };
      const action: TypeAndId = { type: "Action", id: "call_tool" };
      const resource: TypeAndId = { type: "Tool", id: call.tool };
      const own: EntityJson[] = [
        { uid: principal, attrs: claimValues, parents: groups.map((g) => ({ type: groupType, id: g })) },
        { uid: action, attrs: { operation: "call_tool" }, parents: [] },
        {
          uid: resource,
          attrs: { ...hintsOf(call.tools.get(call.tool)?.annotations), ...argValues, name: call.tool, operation: "call", feature: "tool" },
          parents: settings.server ? [{ type: "MCP", id: settings.server }] : [],
        },
      ];
      return {
        request: {
          principal,
          action,
          resource,
          context: { ...claimValues, ...argValues },
          entities: own,
        },
      };
    },
  };
}

/** The annotation hints ToolHive reads from tools/list (ToolAnnotations: four *bool fields). */
function hintsOf(annotations: Record<string, unknown> | undefined): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const hint of HINTS) {
    const value = annotations?.[hint];
    if (typeof value === "boolean") out[hint] = value;
  }
  return out;
}

/** preprocessArguments: scalars as `arg_<k>`, anything else (arrays, objects, null) as `arg_<k>_present`. */
export function argAttributes(args: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (args === null || typeof args !== "object" || Array.isArray(args)) return out;
  for (const [k, v] of Object.entries(args)) {
    if (typeof v === "string" || typeof v === "boolean" || typeof v === "number") out[`arg_${k}`] = v;
    else out[`arg_${k}_present`] = true;
  }
  return out;
}

/** preprocessClaims after normalizeMultiValuedClaims, then addMultiValuedClaimSets. */
export function claimAttributes(claims: Record<string, unknown>, multiValued: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(claims)) {
    if (k === "tsid") continue; // filtered by the auth layer before the authorizer sees the claims
    out[`claim_${k}`] = multiValued.includes(k) && Array.isArray(v) ? stringsOf(v).join(" ") : v;
  }
  for (const name of multiValued) {
    if (!(name in claims) || name === "tsid") continue;
    const v = claims[name];
    if (typeof v === "string") out[`claimset_${name}`] = v.split(/\s+/).filter((s) => s !== "");
    else if (Array.isArray(v)) out[`claimset_${name}`] = stringsOf(v);
  }
  return out;
}

function stringsOf(values: unknown[]): string[] {
  return values.filter((v): v is string => typeof v === "string");
}

/** extractGroups over the configured claim, the well-known fallbacks, then the role claim; deduplicated. */
export function groupsOf(claims: Record<string, unknown>, options: ToolhiveOptions): string[] {
  let groups = extractGroups(claims, options.groupClaimName);
  if (groups === null) {
    for (const name of DEFAULT_GROUP_CLAIMS) {
      groups = extractGroups(claims, name);
      if (groups !== null) break;
    }
  }
  return [...new Set([...(groups ?? []), ...(extractGroups(claims, options.roleClaimName) ?? [])])];
}

/** null when the claim is absent or not an array; an array (maybe empty) stops the fallback. */
function extractGroups(claims: Record<string, unknown>, name: string | undefined): string[] | null {
  if (!name) return null;
  const value = resolveClaim(claims, name);
  return Array.isArray(value) ? stringsOf(value) : null;
}

/** A top-level key first (URL-style claim names hold dots), then a dot path into nested objects. */
function resolveClaim(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  const parts = path.split(".");
  if (parts.length < 2) return undefined;
  let current: unknown = claims;
  for (const part of parts) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** convertMapToCedarRecordAtDepth: unsupported values (null, dropped decimals) leave no key. */
export function goRecord(data: Record<string, unknown>, depth: number): Record<string, CedarValueJson> {
  const out: Record<string, CedarValueJson> = {};
  for (const [k, v] of Object.entries(data)) {
    const value = goValue(v, depth);
    if (value !== undefined) out[k] = value;
  }
  return out;
}

function goValue(v: unknown, depth: number): CedarValueJson | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return goDecimal(v);
  if (Array.isArray(v)) {
    return v.map((item) => goValue(item, depth + 1)).filter((item): item is CedarValueJson => item !== undefined);
  }
  if (v !== null && typeof v === "object") return goRecord(v as Record<string, unknown>, depth + 1);
  return undefined;
}

/**
 * cedar-go's NewDecimalFromFloat: `f * 10000` in float64, refused above MaxInt64 or below
 * MinInt64 (compared as float64), then truncated to int64. Exactly 2^63 passes the check and
 * Go's conversion on amd64 gives MinInt64.
 */
export function goDecimal(x: number): CedarValueJson | undefined {
  const f = x * 10000;
  if (!Number.isFinite(f) || f > TWO_POW_63 || f < -TWO_POW_63) return undefined;
  let units = BigInt(Math.trunc(f));
  if (units > INT64_MAX) units = INT64_MIN;
  return { __extn: { fn: "decimal", arg: formatDecimal(units) } };
}

export function formatDecimal(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  return `${negative ? "-" : ""}${abs / 10000n}.${(abs % 10000n).toString().padStart(4, "0")}`;
}
