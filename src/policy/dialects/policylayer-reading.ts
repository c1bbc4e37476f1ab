/**
 * OUR READING of PolicyLayer's policy JSON: everything here is what the harness decided where
 * PolicyLayer's format is not published (see spec/dialect-policylayer.md, "Not public"). It is
 * kept in this one file so that a correction (a real log, a docs page) is a change here only.
 *
 * What is published and NOT decided here: `version` "1", `default` allow|deny (required),
 * `hide`, `tools`, `all_tools.limits`, a tool listed as `{}` is allowed, the rule ids
 * `(no policy)`, `(hidden)`, `(default deny)` and JSON Pointer ids like
 * `/tools/create_charge/deny_if/args.amount-gt` and `/all_tools/limits/calls-per-minute`.
 *
 * The reading:
 * 1. Conditions. `require` and `deny_if` items are `{"path": "args.x", "op": "...", "value": ...}`
 *    with Intercept's operators, value checks and comparison rules (ops.ts). Paths must start
 *    with `args.`: quotas are `limits`, so there is no `state.` path. Every `require` item must
 *    hold; any `deny_if` item that holds denies. JSON numbers are float64.
 * 2. Rule ids. `/tools/<tool>/<require|deny_if>/<path>-<op>`, `/tools/<tool>/limits/<counter>`,
 *    `/all_tools/limits/<counter>`, `/tools/<tool>/require_approval`; each reference token is
 *    escaped as RFC 6901 says (`~` as `~0`, `/` as `~1`), so `args.a.b` stays as it is.
 * 3. Limits. `{"counter", "window": "minute|hour|day", "max", "scope": "grant|server"}`:
 *    fixed windows aligned to the UTC calendar, `max` calls allowed in a window (a positive
 *    whole number), one call counts 1. `scope` `grant` (the default) keeps one counter per
 *    identity (grant), `server` one for every identity. A counter belongs to its tool (or to
 *    `all_tools`): the same counter name under two tools is two counters.
 * 4. `"require_approval": true` on a tool entry holds every call of that tool for a human
 *    (the outcome `approval`). `all_tools` takes only `limits`.
 * 5. Order: hidden, no policy, default deny, `deny_if` (file order), `require` (file order),
 *    approval, limits (the tool's, then `all_tools`', reserved all-or-nothing; an approval
 *    reserves nothing until approved). It falls out of the engine's step order when a tool's
 *    rules are compiled in this order: see `toolRuleOrder`.
 * 6. Grants. Policies attach to grants in PolicyLayer's dashboard, not in the file. Here an
 *    optional top-level `"grants": ["alice-laptop", "ci-runner"]` names the identities that
 *    have the policy; a call from any other identity (or from none) is denied with rule
 *    `(no policy)`. Without `grants` every caller has the policy.
 * 7. Messages. PolicyLayer's texts are not published; ours follow Intercept's wording.
 * 8. Unknown keys are warned about (with a did-you-mean), not refused.
 */
import { goQuote } from "../gofmt.js";
import type { CounterKeying, Policy } from "../model.js";

export const TOP_KEYS = ["version", "default", "hide", "tools", "all_tools", "grants"] as const;
export const TOOL_KEYS = ["require", "deny_if", "limits", "require_approval"] as const;
export const ALL_TOOLS_KEYS = ["limits"] as const;
export const CONDITION_KEYS = ["path", "op", "value"] as const;
export const LIMIT_KEYS = ["counter", "window", "max", "scope"] as const;

/** Condition lists of a tool entry, in the order they are decided. */
export const CONDITION_LISTS = ["deny_if", "require"] as const;
export type ConditionList = (typeof CONDITION_LISTS)[number];

/** The only path prefix a PolicyLayer condition may use. */
export const CONDITION_PATH_PREFIX = "args.";

export const WINDOWS = ["minute", "hour", "day"] as const;
export type LimitWindow = (typeof WINDOWS)[number];

export const SCOPES = ["grant", "server"] as const;
export type LimitScope = (typeof SCOPES)[number];
export const DEFAULT_SCOPE: LimitScope = "grant";

export function keyingOf(scope: LimitScope): CounterKeying {
  return scope === "grant" ? "identity" : "gateway";
}

/** Counter scope (the part of a counter key before the name) of `all_tools` limits. */
export const ALL_TOOLS_SCOPE = "_all_tools";

/** RFC 6901: one reference token of a JSON Pointer. */
export function pointerToken(s: string): string {
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function conditionRuleId(tool: string, list: ConditionList, path: string, op: string): string {
  return `/tools/${pointerToken(tool)}/${list}/${pointerToken(`${path}-${op}`)}`;
}

/** `tool` undefined: an `all_tools` limit. */
export function limitRuleId(tool: string | undefined, counter: string): string {
  const owner = tool === undefined ? "/all_tools" : `/tools/${pointerToken(tool)}`;
  return `${owner}/limits/${pointerToken(counter)}`;
}

export function approvalRuleId(tool: string): string {
  return `/tools/${pointerToken(tool)}/require_approval`;
}

/**
 * The order a tool's rules are compiled in. The engine walks a tool's rules, refusing at the
 * first `deny` rule that holds or `evaluate` rule that fails; a matching approval rule is
 * returned only when nothing refused; conditionless limit rules never refuse in the walk and
 * reserve afterwards. So deny_if → require → approval → limits reproduces step 5.
 */
export const toolRuleOrder = ["deny_if", "require", "require_approval", "limits"] as const;

export const messages = {
  denyIf: (id: string) => `Denied by rule ${goQuote(id)}`,
  require: (id: string) => `Denied by rule ${goQuote(id)}`,
  approval: (id: string) => `Approval required by rule ${goQuote(id)}`,
  /** Intercept's rate_limit wording, so a recording's answer reads as a throttle. */
  limit: (max: number, window: LimitWindow) => `Rate limit of ${max} per ${window} reached. Try again later.`,
};

export const policyMessages: Policy["messages"] = {
  hidden: (tool) => `Tool ${goQuote(tool)} is hidden by policy`,
  defaultDeny: (tool) => `Tool ${goQuote(tool)} is not permitted by policy`,
  noPolicy: (tool) => `Tool ${goQuote(tool)} is not permitted: no policy is attached to this grant`,
  internalError: "Internal policy error",
};

/** Wording of an unknown-key warning. */
export function unknownKeyNote(key: string, where: string, guess: string | null, known: readonly string[]): string {
  const head = `unknown key "${key}" in ${where} (ignored)`;
  return guess ? `${head}; did you mean "${guess}"?` : `${head}; known keys here: ${known.map((k) => `"${k}"`).join(", ")}`;
}
