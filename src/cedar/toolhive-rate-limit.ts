/**
 * ToolHive's rate limiter (stacklok/toolhive pkg/ratelimit) on mcptape's virtual clock.
 *
 * API, for the wiring that replays a ToolHive profile:
 *
 *   const config = readToolhiveLimits("limits.yaml");         // --limits FILE; InputError at file:line:col
 *   const config = toolhiveLimitsFromNode(node, file);        // a scenario's `limits:` (a YNode)
 *   const limiter = createToolhiveLimiter(config);            // one per gateway run (state lives in it)
 *   const r = limiter.take({ tool: "search", user: claims?.sub }, tMs);
 *   // r.ok → go on to Cedar; else decision `throttle`, rule r.rule, message r.message,
 *   // and the agent is answered HTTP r.http with JSON-RPC error r.error.
 *
 * Call `take` for every tools/call, in tape order, BEFORE Cedar decides: ToolHive's rate-limit
 * middleware runs ahead of authorisation, so a call Cedar then denies has still spent its tokens.
 * `user` is the caller's `sub` claim (ToolHive passes identity.Subject); leave it out for an
 * unauthenticated call, and the per-user buckets are skipped, as ToolHive skips them.
 *
 * What ToolHive does, and this module copies (pkg/ratelimit/internal/bucket/bucket.go,
 * pkg/ratelimit/limiter.go, pkg/ratelimit/errors.go and middleware.go at commit
 * e25de16cf9720b13cf0b400c861a2f6840e2763c):
 * - buckets, in this order: shared; shared per tool; per user; per user per tool;
 * - a bucket seen for the first time (or whose key expired) is full;
 * - refill is continuous: min(maxTokens, tokens + elapsed × rate), elapsed in seconds from
 *   Redis's microsecond clock, rate = maxTokens / refillPeriod passed to Redis as "%.6f" text
 *   (so a tiny rate becomes 0 and only expiry refills the bucket);
 * - all buckets are refilled and checked at once; if any holds less than one token, none is
 *   consumed, every refilled level is stored, and the first such bucket is the one named;
 * - every touched key lives ceil(2 × refillPeriod) seconds after its last touch (Redis EXPIRE;
 *   a key is gone once the clock is past its expiry time: redis src/db.c, `now > when`), a
 *   refused call touching it too;
 * - keys are ToolHive's (`shared`, `shared:tool:<tool>`, `user:<sub>`, `user-tool:<tool>:<sub>`),
 *   so buckets that share a key in Redis share their tokens here too;
 * - retryAfterSeconds is the time one token takes at the unrounded rate, rounded up to whole
 *   seconds, at least 1: the same whatever the bucket holds.
 */
import { InputError, type Position } from "../errors.js";
import { readUserFile } from "../files.js";
import { parseYamlSource, describeNode, type YMap, type YNode } from "../yaml-source.js";
import { nearest } from "../suggest.js";

/** One token bucket as ToolHive's RateLimitBucket writes it. */
export interface ToolhiveBucket {
  maxTokens: number;
  /** A Go duration ("1m0s", "30s", "1h"). */
  refillPeriod: string;
}

export interface ToolhiveToolLimit {
  name: string;
  shared?: ToolhiveBucket;
  perUser?: ToolhiveBucket;
}

/** ToolHive's RateLimitConfig (pkg/ratelimit/types): an MCPServer's `spec.rateLimiting`. */
export interface ToolhiveRateLimitConfig {
  shared?: ToolhiveBucket;
  perUser?: ToolhiveBucket;
  tools?: ToolhiveToolLimit[];
}

export interface RateLimitCall {
  tool: string;
  /** The caller's `sub` claim; absent for an unauthenticated call. */
  user?: string;
}

export const RATE_LIMIT_HTTP_STATUS = 429;
export const RATE_LIMIT_CODE = 429;
export const RATE_LIMIT_MESSAGE = "Rate limit exceeded";

export type RateLimitResult =
  | { ok: true }
  | {
    ok: false;
    /** `rate limit shared`, `rate limit perUser`, `rate limit tool <name> shared|perUser`. */
    rule: string;
    message: typeof RATE_LIMIT_MESSAGE;
    retryAfterSeconds: number;
    http: typeof RATE_LIMIT_HTTP_STATUS;
    /** The JSON-RPC error ToolHive answers with. */
    error: { code: typeof RATE_LIMIT_CODE; message: typeof RATE_LIMIT_MESSAGE; data: { retryAfterSeconds: number } };
  };

export interface ToolhiveLimiter {
  take(call: RateLimitCall, nowMs: number): RateLimitResult;
}

// ---------------------------------------------------------------------------------------------
// Go durations

const NS_PER_UNIT: Record<string, bigint> = {
  ns: 1n, us: 1_000n, "\u00b5s": 1_000n, "\u03bcs": 1_000n, ms: 1_000_000n, s: 1_000_000_000n,
  m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const MAX_DURATION = (1n << 63n) - 1n;

/**
 * Go's time.ParseDuration, to nanoseconds: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` or "0".
 * Returns an error text (Go's own wording) instead of throwing.
 */
export function parseGoDuration(text: string): bigint | string {
  const invalid = `invalid duration ${JSON.stringify(text)}`;
  let s = text;
  let neg = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") return invalid;
  let total = 0n;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, intDigits, fracDigits] = [m[0], m[1]!, m[2]];
    if (intDigits === "" && (fracDigits === undefined || fracDigits === "")) return invalid;
    s = s.slice(whole.length);
    const unitEnd = s.search(/[.\d]/);
    const unitText = unitEnd === -1 ? s : s.slice(0, unitEnd);
    if (unitText === "") return `missing unit in duration ${JSON.stringify(text)}`;
    s = s.slice(unitText.length);
    const unit = NS_PER_UNIT[unitText];
    if (unit === undefined) return `unknown unit ${JSON.stringify(unitText)} in duration ${JSON.stringify(text)}`;
    let v = intDigits === "" ? 0n : BigInt(intDigits);
    if (v > (1n << 63n) / unit) return invalid;
    v *= unit;
    if (fracDigits) {
      // Go keeps at most the fraction digits that fit an int64 and scales in float64.
      let f = 0n;
      let scale = 1;
      for (const d of fracDigits) {
        if (f > MAX_DURATION / 10n) break;
        f = f * 10n + BigInt(d);
        scale *= 10;
      }
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > 1n << 63n) return invalid;
    }
    total += v;
    if (total > 1n << 63n) return invalid;
  }
  if (neg) return -total;
  if (total > MAX_DURATION) return invalid;
  return total;
}

/** Go's Duration.Seconds(): whole seconds plus the nanoseconds left over, in float64. */
function goSeconds(ns: bigint): number {
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
}

/**
 * `fmt.Sprintf("%.6f", x)` read back as a number, as the Redis script's tonumber() sees it.
 * Go rounds an exact tie to even; JS's toFixed rounds it up. A double ties at 6 decimals only
 * when x × 128 is an odd integer (x has exactly 7 decimals, the last a 5).
 */
export function goSixDecimals(x: number): number {
  const t = x * 128;
  if (Number.isInteger(t) && t % 2 === 1) {
    const seven = x.toFixed(7);
    const sixth = Number(seven[seven.length - 2]);
    if (sixth % 2 === 0) return Number(seven.slice(0, -1));
  }
  return Number(x.toFixed(6));
}

// ---------------------------------------------------------------------------------------------
// Buckets

interface BucketSpec {
  maxTokens: number;
  /** Tokens per second as Redis gets it (6 decimals). */
  redisRate: number;
  expireMs: number;
  retryAfterSeconds: number;
}

function bucketSpec(b: ToolhiveBucket, where: string): BucketSpec {
  const ns = parseGoDuration(b.refillPeriod);
  if (typeof ns === "string") throw new InputError(`${where}.refillPeriod: ${ns}`, undefined, 'write a Go duration like "30s", "1m0s" or "1h"');
  if (!Number.isInteger(b.maxTokens) || b.maxTokens < 1 || b.maxTokens > 2147483647) {
    throw new InputError(`${where}.maxTokens must be an integer from 1 to 2147483647, got ${b.maxTokens}`);
  }
  if (ns <= 0n) throw new InputError(`${where}.refillPeriod must be positive, got ${b.refillPeriod}`);
  const seconds = goSeconds(ns);
  const rate = b.maxTokens / seconds;
  return {
    maxTokens: b.maxTokens,
    redisRate: goSixDecimals(rate),
    expireMs: Math.ceil(2 * seconds) * 1000,
    retryAfterSeconds: retryAfter(rate),
  };
}

/** TokenBucket.RetryAfter: time.Duration(1s / rate) (truncated to ns), at least 1s, rounded up to seconds. */
function retryAfter(rate: number): number {
  const ns = Math.trunc(1e9 / rate);
  if (ns < 1e9) return 1;
  return Math.ceil(Math.floor(ns / 1e9) + (ns % 1e9) / 1e9);
}

interface BucketState {
  tokens: number;
  /** Last refill, µs (Redis TIME). */
  lastUs: number;
  expiresAtMs: number;
}

interface Check {
  key: string;
  spec: BucketSpec;
  rule: string;
}

/** Expired keys are dropped every this many calls, so a long tape with many users stays small. */
const SWEEP_EVERY = 4096;

export function createToolhiveLimiter(config: ToolhiveRateLimitConfig): ToolhiveLimiter {
  const shared = config.shared && bucketSpec(config.shared, "shared");
  const perUser = config.perUser && bucketSpec(config.perUser, "perUser");
  const toolShared = new Map<string, BucketSpec>();
  const toolPerUser = new Map<string, BucketSpec>();
  for (const t of config.tools ?? []) {
    if (t.shared) toolShared.set(t.name, bucketSpec(t.shared, `tools[${t.name}].shared`));
    if (t.perUser) toolPerUser.set(t.name, bucketSpec(t.perUser, `tools[${t.name}].perUser`));
  }
  const state = new Map<string, BucketState>();
  let calls = 0;

  function applicable(call: RateLimitCall): Check[] {
    const checks: Check[] = [];
    if (shared) checks.push({ key: "shared", spec: shared, rule: "rate limit shared" });
    const ts = call.tool !== "" ? toolShared.get(call.tool) : undefined;
    if (ts) checks.push({ key: `shared:tool:${call.tool}`, spec: ts, rule: `rate limit tool ${call.tool} shared` });
    if (call.user !== undefined && call.user !== "") {
      if (perUser) checks.push({ key: `user:${call.user}`, spec: perUser, rule: "rate limit perUser" });
      const tu = call.tool !== "" ? toolPerUser.get(call.tool) : undefined;
      if (tu) checks.push({ key: `user-tool:${call.tool}:${call.user}`, spec: tu, rule: `rate limit tool ${call.tool} perUser` });
    }
    return checks;
  }

  return {
    take(call, nowMs) {
      if (++calls % SWEEP_EVERY === 0) {
        for (const [key, s] of state) if (nowMs > s.expiresAtMs) state.delete(key);
      }
      const checks = applicable(call);
      if (checks.length === 0) return { ok: true };
      const nowUs = nowMs * 1000;
      const levels = checks.map(({ key, spec }) => {
        const s = state.get(key);
        if (s === undefined || nowMs > s.expiresAtMs) return spec.maxTokens;
        const elapsedSec = Math.max(0, (nowUs - s.lastUs) / 1_000_000);
        return Math.min(spec.maxTokens, s.tokens + elapsedSec * spec.redisRate);
      });
      const rejected = levels.findIndex((l) => l < 1);
      const spend = rejected === -1 ? 1 : 0;
      checks.forEach(({ key, spec }, i) => {
        state.set(key, { tokens: levels[i]! - spend, lastUs: nowUs, expiresAtMs: nowMs + spec.expireMs });
      });
      if (rejected === -1) return { ok: true };
      const { rule, spec } = checks[rejected]!;
      const retryAfterSeconds = spec.retryAfterSeconds;
      return {
        ok: false,
        rule,
        message: RATE_LIMIT_MESSAGE,
        retryAfterSeconds,
        http: RATE_LIMIT_HTTP_STATUS,
        error: { code: RATE_LIMIT_CODE, message: RATE_LIMIT_MESSAGE, data: { retryAfterSeconds } },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading a config: a bare RateLimitConfig, an MCPServer manifest, or a `thv run` RunConfig

const CONFIG_KEYS = ["shared", "perUser", "tools"] as const;
const BUCKET_KEYS = ["maxTokens", "refillPeriod"] as const;
const TOOL_KEYS = ["name", "shared", "perUser"] as const;
const HINT_SHAPE = "write {shared: {maxTokens, refillPeriod}, perUser: {...}, tools: [{name, shared, perUser}]}";

/** Reads `--limits FILE` (JSON or YAML). */
export function readToolhiveLimits(path: string): ToolhiveRateLimitConfig {
  const text = readUserFile(path, "rate-limit file", "name a JSON or YAML file with ToolHive's rateLimiting config");
  return parseToolhiveLimits(text, path);
}

export function parseToolhiveLimits(text: string, file: string): ToolhiveRateLimitConfig {
  const { root } = parseYamlSource(text, file);
  if (root === null) throw new InputError("the rate-limit file is empty", { file, line: 1, col: 1 }, HINT_SHAPE);
  return toolhiveLimitsFromNode(locateConfig(root, file), file);
}

/** Where each `tools[].name` of a rate-limit file is (the file already read once, so it parses). */
export function toolhiveLimitToolsAt(text: string, file: string): Map<string, Position> {
  const places = new Map<string, Position>();
  const { root } = parseYamlSource(text, file);
  const config = root === null ? undefined : locateConfig(root, file);
  const tools = config?.kind === "map" ? get(config, "tools") : undefined;
  for (const item of tools?.kind === "seq" ? tools.items : []) {
    const name = item.kind === "map" ? get(item, "name") : undefined;
    if (name?.kind === "scalar" && typeof name.value === "string") places.set(name.value, at(file, name));
  }
  return places;
}

/** The RateLimitConfig inside whatever the file is. */
function locateConfig(root: YNode, file: string): YNode {
  if (root.kind !== "map") return root;
  const kind = get(root, "kind");
  if (kind?.kind === "scalar" && kind.value === "MCPServer") {
    const spec = get(root, "spec");
    const found = spec?.kind === "map" ? get(spec, "rateLimiting") : undefined;
    if (found) return found;
    const near = spec?.kind === "map" ? get(spec, "rateLimit") : undefined;
    throw new InputError(
      near ? "ToolHive's MCPServer has no spec.rateLimit" : "the MCPServer has no spec.rateLimiting",
      at(file, (near ?? spec ?? root)),
      near ? "ToolHive names the field spec.rateLimiting" : "add spec.rateLimiting, or name a file with the rate-limit config alone",
    );
  }
  // `thv run`'s RunConfig keeps it under rate_limit_config.
  return get(root, "rate_limit_config") ?? root;
}

/** A RateLimitConfig node (a scenario's `limits:`, or what a file holds) checked as ToolHive would. */
export function toolhiveLimitsFromNode(node: YNode, file: string): ToolhiveRateLimitConfig {
  const map = expectMap(node, file, "the rate-limit config", HINT_SHAPE);
  refuseUnknown(map, CONFIG_KEYS, file, "the rate-limit config");
  const out: ToolhiveRateLimitConfig = {};
  const shared = get(map, "shared");
  const perUser = get(map, "perUser");
  const tools = get(map, "tools");
  if (shared && !isNull(shared)) out.shared = bucket(shared, file, "shared");
  if (perUser && !isNull(perUser)) out.perUser = bucket(perUser, file, "perUser");
  if (tools && !isNull(tools)) {
    if (tools.kind !== "seq") throw new InputError(`tools must be a list, got ${describeNode(tools)}`, at(file, tools), "write tools: [{name: search, shared: {maxTokens: 5, refillPeriod: 1m}}]");
    const seen = new Set<string>();
    out.tools = tools.items.map((item, i) => {
      const t = expectMap(item, file, `tools[${i}]`, "write {name, shared, perUser}");
      refuseUnknown(t, TOOL_KEYS, file, `tools[${i}]`);
      const nameNode = get(t, "name");
      if (!nameNode || nameNode.kind !== "scalar" || typeof nameNode.value !== "string" || nameNode.value === "") {
        throw new InputError(`tools[${i}] needs a name (a non-empty string)`, at(file, nameNode ?? t), "name the MCP tool this limit applies to");
      }
      const name = nameNode.value;
      // The CRD's list is a map keyed by name: the API server refuses a second entry.
      if (seen.has(name)) throw new InputError(`tool ${JSON.stringify(name)} is listed twice`, at(file, nameNode), "give each tool one entry");
      seen.add(name);
      const tool: ToolhiveToolLimit = { name };
      const ts = get(t, "shared");
      const tu = get(t, "perUser");
      if (ts && !isNull(ts)) tool.shared = bucket(ts, file, `tools[${name}].shared`);
      if (tu && !isNull(tu)) tool.perUser = bucket(tu, file, `tools[${name}].perUser`);
      if (!tool.shared && !tool.perUser) {
        throw new InputError(`tool ${JSON.stringify(name)}: at least one of shared or perUser must be configured`, at(file, t), "ToolHive's CRD refuses a tool entry with neither");
      }
      return tool;
    });
  }
  if (!out.shared && !out.perUser && !(out.tools && out.tools.length > 0)) {
    throw new InputError("at least one of shared, perUser, or tools must be configured", at(file, map), HINT_SHAPE);
  }
  return out;
}

function bucket(node: YNode, file: string, where: string): ToolhiveBucket {
  const map = expectMap(node, file, where, "write {maxTokens: 10, refillPeriod: 1m}");
  refuseUnknown(map, BUCKET_KEYS, file, where);
  const max = get(map, "maxTokens");
  const period = get(map, "refillPeriod");
  if (!max) throw new InputError(`${where} needs maxTokens`, at(file, map), "maxTokens is the bucket's capacity (the burst), at least 1");
  if (!period) throw new InputError(`${where} needs refillPeriod`, at(file, map), 'refillPeriod is a Go duration like "1m0s"');
  // ToolHive reads maxTokens into an int32 with a minimum of 1.
  if (max.kind !== "scalar" || typeof max.value !== "bigint") {
    throw new InputError(`${where}.maxTokens must be an integer, got ${describeNode(max)}`, at(file, max), "write a whole number of tokens, at least 1");
  }
  if (max.value < 1n || max.value > 2147483647n) {
    throw new InputError(`${where}.maxTokens must be >= 1 and fit an int32, got ${max.text}`, at(file, max), "write a whole number of tokens, at least 1");
  }
  // metav1.Duration reads only a JSON string.
  if (period.kind !== "scalar" || typeof period.value !== "string") {
    throw new InputError(`${where}.refillPeriod must be a Go duration string, got ${describeNode(period)}`, at(file, period), 'write "30s", "1m0s" or "1h"');
  }
  const ns = parseGoDuration(period.value);
  if (typeof ns === "string") throw new InputError(`${where}.refillPeriod: ${ns}`, at(file, period), 'write a Go duration like "30s", "1m0s" or "1h" (units ns, us, ms, s, m, h)');
  if (ns <= 0n) throw new InputError(`${where}.refillPeriod must be positive, got ${period.value}`, at(file, period), 'write a duration above zero, like "1m"');
  return { maxTokens: Number(max.value), refillPeriod: period.value };
}

function get(map: YMap, key: string): YNode | undefined {
  return map.entries.find((e) => e.keyText === key)?.value;
}

function isNull(node: YNode): boolean {
  return node.kind === "scalar" && node.value === null;
}

function expectMap(node: YNode, file: string, what: string, hint: string): YMap {
  if (node.kind !== "map") throw new InputError(`${what} must be a mapping, got ${describeNode(node)}`, at(file, node), hint);
  return node;
}

function refuseUnknown(map: YMap, known: readonly string[], file: string, where: string): void {
  for (const e of map.entries) {
    if (known.includes(e.keyText)) continue;
    // Kubernetes prunes a field its CRD does not declare: a typo would silently lose a limit.
    const guess = nearest(e.keyText, known);
    throw new InputError(`unknown key \`${e.keyText}\` in ${where} (ToolHive's CRD drops it)`, at(file, e.key),
      guess ? `did you mean \`${guess}\`?` : `known keys here: ${known.join(", ")}`);
  }
}

function at(file: string, node: YNode): Position {
  return { file, line: node.at.line, col: node.at.col };
}
