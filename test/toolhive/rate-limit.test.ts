/**
 * ToolHive's token buckets on the virtual clock. Facts come from stacklok/toolhive at commit
 * e25de16cf9720b13cf0b400c861a2f6840e2763c: pkg/ratelimit/internal/bucket/bucket.go (the Redis
 * script, New, RetryAfter) and its bucket_test.go, pkg/ratelimit/limiter.go and limiter_test.go,
 * pkg/ratelimit/errors.go and middleware_test.go.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  createToolhiveLimiter, goSixDecimals, parseGoDuration, parseToolhiveLimits, readToolhiveLimits,
  type RateLimitCall, type ToolhiveRateLimitConfig,
} from "../../src/cedar/toolhive-rate-limit.js";
import { InputError } from "../../src/errors.js";
import { tempDir } from "../helpers/temp-dir.js";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const MIN = { refillPeriod: "1m" };

/** Allowed (true) or refused (false) for each call, all at time `t`. */
function run(config: ToolhiveRateLimitConfig, calls: RateLimitCall[], t = T0): boolean[] {
  const limiter = createToolhiveLimiter(config);
  return calls.map((c) => limiter.take(c, t).ok);
}

const times = (n: number, call: RateLimitCall): RateLimitCall[] => Array.from({ length: n }, () => call);

describe("ToolHive's own pkg/ratelimit tests, as facts", () => {
  it("bucket_test TestConsumeAll_SingleBucket: capacity 3 allows 3 and refuses the 4th; capacity 1 refuses the 2nd", () => {
    expect(run({ shared: { maxTokens: 3, ...MIN } }, times(4, { tool: "t" }))).toEqual([true, true, true, false]);
    expect(run({ shared: { maxTokens: 1, refillPeriod: "1s" } }, times(2, { tool: "t" }))).toEqual([true, false]);
  });

  it("bucket_test TestConsumeAll_MultiBucket_Atomic: a refusal by the tool bucket leaves the server bucket untouched", () => {
    const limiter = createToolhiveLimiter({ shared: { maxTokens: 5, ...MIN }, tools: [{ name: "search", shared: { maxTokens: 2, ...MIN } }] });
    expect([1, 2].map(() => limiter.take({ tool: "search" }, T0).ok)).toEqual([true, true]);
    expect(limiter.take({ tool: "search" }, T0)).toMatchObject({ ok: false, rule: "rate limit tool search shared" });
    // 5 - 2 = 3 left in the shared bucket: three calls to another tool pass, the fourth does not.
    expect([1, 2, 3, 4].map(() => limiter.take({ tool: "other" }, T0).ok)).toEqual([true, true, true, false]);
    expect(limiter.take({ tool: "other" }, T0)).toMatchObject({ ok: false, rule: "rate limit shared" });
  });

  it("bucket_test TestConsumeAll_RefillAfterTime: a drained 1-per-second bucket allows again 2 s later", () => {
    const limiter = createToolhiveLimiter({ shared: { maxTokens: 1, refillPeriod: "1s" } });
    expect(limiter.take({ tool: "t" }, T0).ok).toBe(true);
    expect(limiter.take({ tool: "t" }, T0).ok).toBe(false);
    expect(limiter.take({ tool: "t" }, T0 + 2000).ok).toBe(true);
  });

  it("bucket_test TestTokenBucket_RetryAfter: 60/60s → 1 s, 10/100s → 10 s, 1000/1s → clamped to 1 s", () => {
    const retry = (maxTokens: number, refillPeriod: string): number => {
      const limiter = createToolhiveLimiter({ shared: { maxTokens, refillPeriod } });
      for (let i = 0; i < maxTokens; i++) limiter.take({ tool: "t" }, T0);
      const r = limiter.take({ tool: "t" }, T0);
      if (r.ok) throw new Error("expected a refusal");
      return r.retryAfterSeconds;
    };
    expect(retry(60, "60s")).toBe(1);
    expect(retry(10, "100s")).toBe(10);
    expect(retry(1000, "1s")).toBe(1);
  });

  it("limiter_test TestLimiter_PerToolIsolation: a tool's own bucket does not limit another tool", () => {
    expect(run({ tools: [{ name: "search", shared: { maxTokens: 1, ...MIN } }] },
      [{ tool: "search" }, { tool: "search" }, { tool: "execute" }])).toEqual([true, false, true]);
  });

  it("limiter_test TestLimiter_ServerAndPerToolBothRequired: the 3rd search is refused by its tool limit, list still passes", () => {
    expect(run({ shared: { maxTokens: 5, ...MIN }, tools: [{ name: "search", shared: { maxTokens: 2, ...MIN } }] },
      [...times(3, { tool: "search" }), { tool: "list" }])).toEqual([true, true, false, true]);
  });

  it("limiter_test TestLimiter_PerUserServerLevel: each user has a bucket of their own", () => {
    expect(run({ perUser: { maxTokens: 2, ...MIN } },
      [...times(3, { tool: "t", user: "user-a" }), { tool: "t", user: "user-b" }])).toEqual([true, true, false, true]);
  });

  it("limiter_test TestLimiter_PerToolPerUserIsolation: per user and per tool", () => {
    expect(run({ tools: [{ name: "search", perUser: { maxTokens: 1, ...MIN } }] }, [
      { tool: "search", user: "user-a" }, { tool: "search", user: "user-a" }, { tool: "search", user: "user-b" }, { tool: "list", user: "user-a" },
    ])).toEqual([true, false, true, true]);
  });

  it("limiter_test TestLimiter_ServerAndToolPerUserBothRequired: the tool's per-user limit refuses while the server's per-user one has tokens", () => {
    const limiter = createToolhiveLimiter({ perUser: { maxTokens: 5, ...MIN }, tools: [{ name: "search", perUser: { maxTokens: 2, ...MIN } }] });
    const a = { tool: "search", user: "user-a" };
    expect([limiter.take(a, T0).ok, limiter.take(a, T0).ok]).toEqual([true, true]);
    expect(limiter.take(a, T0)).toMatchObject({ ok: false, rule: "rate limit tool search perUser" });
    expect(limiter.take({ tool: "list", user: "user-a" }, T0).ok).toBe(true);
  });

  it("limiter_test TestLimiter_PerUserRejectionDoesNotDrainShared: a user's refusal spends no shared token", () => {
    expect(run({ shared: { maxTokens: 3, ...MIN }, perUser: { maxTokens: 1, ...MIN } }, [
      { tool: "", user: "user-a" }, { tool: "", user: "user-a" }, { tool: "", user: "user-b" }, { tool: "", user: "user-c" }, { tool: "", user: "user-d" },
    ])).toEqual([true, false, true, true, false]);
  });

  it("limiter.go Allow: with no user (no identity) the per-user buckets are skipped", () => {
    expect(run({ perUser: { maxTokens: 1, ...MIN } }, times(3, { tool: "t" }))).toEqual([true, true, true]);
    expect(run({ perUser: { maxTokens: 1, ...MIN } }, times(2, { tool: "t", user: "" }))).toEqual([true, true]);
  });

  it("limiter.go Allow: the first refusing bucket in the order shared, tool shared, per user, tool per user is the one named", () => {
    const limiter = createToolhiveLimiter({
      shared: { maxTokens: 1, ...MIN }, perUser: { maxTokens: 1, ...MIN },
      tools: [{ name: "s", shared: { maxTokens: 1, ...MIN }, perUser: { maxTokens: 1, ...MIN } }],
    });
    expect(limiter.take({ tool: "s", user: "u" }, T0).ok).toBe(true);
    expect(limiter.take({ tool: "s", user: "u" }, T0)).toMatchObject({ ok: false, rule: "rate limit shared" });
  });

  it("limiter.go keys: tool \"a:b\" for user \"c\" and tool \"a\" for user \"b:c\" are the same Redis key, so they share one bucket", () => {
    const limiter = createToolhiveLimiter({
      tools: [{ name: "a:b", perUser: { maxTokens: 1, ...MIN } }, { name: "a", perUser: { maxTokens: 1, ...MIN } }],
    });
    expect(limiter.take({ tool: "a:b", user: "c" }, T0).ok).toBe(true);
    expect(limiter.take({ tool: "a", user: "b:c" }, T0)).toMatchObject({ ok: false, rule: "rate limit tool a perUser" });
    expect(limiter.take({ tool: "a", user: "other" }, T0).ok).toBe(true);
  });

  it("middleware_test TestRateLimitHandler_ToolCallRejected: HTTP 429, JSON-RPC code 429, 'Rate limit exceeded', data.retryAfterSeconds", () => {
    // 1 token per 5 s: RetryAfter is 5 s, as the handler test's limiter says.
    const limiter = createToolhiveLimiter({ shared: { maxTokens: 1, refillPeriod: "5s" } });
    limiter.take({ tool: "t" }, T0);
    expect(limiter.take({ tool: "t" }, T0)).toEqual({
      ok: false, rule: "rate limit shared", message: "Rate limit exceeded", retryAfterSeconds: 5, http: 429,
      error: { code: 429, message: "Rate limit exceeded", data: { retryAfterSeconds: 5 } },
    });
  });

  it("limiter_test TestNewLimiter_ZeroMaxTokens / ZeroDuration: maxTokens below 1 and a zero refillPeriod are refused", () => {
    expect(() => createToolhiveLimiter({ shared: { maxTokens: 0, ...MIN } })).toThrow(/maxTokens/);
    expect(() => createToolhiveLimiter({ shared: { maxTokens: 100, refillPeriod: "0s" } })).toThrow(/refillPeriod must be positive/);
  });
});

describe("bucket boundaries on the virtual clock", () => {
  it("the 1st and the maxTokens-th call pass, the next is refused", () => {
    expect(run({ shared: { maxTokens: 10, ...MIN } }, times(11, { tool: "t" }))).toEqual([...Array(10).fill(true), false]);
  });

  it("refills continuously: 10 per minute gives one token back after 6 s (rate 0.166667/s), not before", () => {
    const drained = () => {
      const limiter = createToolhiveLimiter({ shared: { maxTokens: 10, ...MIN } });
      for (let i = 0; i < 10; i++) limiter.take({ tool: "t" }, T0);
      return limiter;
    };
    expect(drained().take({ tool: "t" }, T0 + 5999).ok).toBe(false);
    const l = drained();
    expect(l.take({ tool: "t" }, T0 + 6000).ok).toBe(true);
    // The token came back and was spent; 0.000012 is left, so the next needs another 6 s.
    expect(l.take({ tool: "t" }, T0 + 6000).ok).toBe(false);
  });

  it("a fraction of the period refills that fraction of the bucket: half a minute gives 5 of 10 back", () => {
    const limiter = createToolhiveLimiter({ shared: { maxTokens: 10, ...MIN } });
    for (let i = 0; i < 10; i++) limiter.take({ tool: "t" }, T0);
    const later = Array.from({ length: 6 }, () => limiter.take({ tool: "t" }, T0 + 30_000).ok);
    expect(later).toEqual([true, true, true, true, true, false]);
  });

  it("the rate Redis sees is rounded to 6 decimals: 1 per 1500 s becomes 0.000667/s and refills in 1499.25 s", () => {
    const drained = () => {
      const limiter = createToolhiveLimiter({ shared: { maxTokens: 1, refillPeriod: "25m" } });
      limiter.take({ tool: "t" }, T0);
      return limiter;
    };
    expect(drained().take({ tool: "t" }, T0 + 1_499_250).ok).toBe(false);
    expect(drained().take({ tool: "t" }, T0 + 1_499_251).ok).toBe(true);
  });

  it("a rate that rounds to 0.000000 never refills: only the key's expiry, ceil(2 × refillPeriod) after its last touch, gives a full bucket", () => {
    // 1 per 1000 h: 0.000000278/s is passed as "0.000000"; the key lives 7 200 000 s.
    const config = { shared: { maxTokens: 1, refillPeriod: "1000h" } };
    const expiry = 7_200_000_000;
    const a = createToolhiveLimiter(config);
    a.take({ tool: "t" }, T0);
    expect(a.take({ tool: "t" }, T0 + expiry - 1).ok).toBe(false);
    const b = createToolhiveLimiter(config);
    b.take({ tool: "t" }, T0);
    expect(b.take({ tool: "t" }, T0 + expiry).ok).toBe(false); // Redis: expired only once the clock is past the expiry time
    const c = createToolhiveLimiter(config);
    c.take({ tool: "t" }, T0);
    expect(c.take({ tool: "t" }, T0 + expiry + 1).ok).toBe(true);
  });

  it("a refused call touches its keys too, so knocking on a drained bucket keeps it from expiring", () => {
    const limiter = createToolhiveLimiter({ shared: { maxTokens: 1, refillPeriod: "1000h" } });
    const expiry = 7_200_000_000;
    limiter.take({ tool: "t" }, T0);
    expect(limiter.take({ tool: "t" }, T0 + expiry - 1).ok).toBe(false);
    // Each refusal restarts the key's life: these land inside the life the one before gave it.
    expect(limiter.take({ tool: "t" }, T0 + expiry + 1).ok).toBe(false);
    expect(limiter.take({ tool: "t" }, T0 + 2 * expiry + 1).ok).toBe(false);
    expect(limiter.take({ tool: "t" }, T0 + 3 * expiry + 2).ok).toBe(true);
  });

  it("retryAfterSeconds is one token's time at the unrounded rate, whatever the bucket holds", () => {
    const limiter = createToolhiveLimiter({ shared: { maxTokens: 1, refillPeriod: "1000h" } });
    limiter.take({ tool: "t" }, T0);
    expect(limiter.take({ tool: "t" }, T0)).toMatchObject({ ok: false, retryAfterSeconds: 3_600_000 });
    const tenPerMinute = createToolhiveLimiter({ shared: { maxTokens: 10, ...MIN } });
    for (let i = 0; i < 10; i++) tenPerMinute.take({ tool: "t" }, T0);
    // 6 s per token, rounded up: 6, just after draining and 5.9 s later alike.
    expect(tenPerMinute.take({ tool: "t" }, T0)).toMatchObject({ retryAfterSeconds: 6 });
    expect(tenPerMinute.take({ tool: "t" }, T0 + 5900)).toMatchObject({ retryAfterSeconds: 6 });
  });
});

describe("Go's formatting and durations", () => {
  it("%.6f rounds an exact tie to even (Go strconv decimal.go shouldRoundUp), unlike JS toFixed", () => {
    expect(goSixDecimals(1 / 128)).toBe(0.007812); // 0.0078125
    expect(goSixDecimals(3 / 128)).toBe(0.023438); // 0.0234375
    expect(goSixDecimals(1 / 6)).toBe(0.166667);
    expect(goSixDecimals(1 / 3_600_000)).toBe(0);
  });

  it("time.ParseDuration: units, fractions, sums and its refusals", () => {
    expect(parseGoDuration("1m0s")).toBe(60_000_000_000n);
    expect(parseGoDuration("1h30m")).toBe(5_400_000_000_000n);
    expect(parseGoDuration("1.5h")).toBe(5_400_000_000_000n);
    expect(parseGoDuration(".5s")).toBe(500_000_000n);
    expect(parseGoDuration("1.s")).toBe(1_000_000_000n);
    expect(parseGoDuration("1\u00b5s")).toBe(1000n);
    expect(parseGoDuration("1\u03bcs")).toBe(1000n);
    expect(parseGoDuration("0")).toBe(0n);
    expect(parseGoDuration("-1m")).toBe(-60_000_000_000n);
    for (const bad of ["", "1", "s", ".s", "1 m", "1d", "3000000h"]) expect(typeof parseGoDuration(bad), bad).toBe("string");
  });
});

describe("--limits FILE", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const errorOf = (text: string, file = "limits.yaml"): string => {
    try {
      parseToolhiveLimits(text, file);
    } catch (err) {
      if (err instanceof InputError) return err.format();
      throw err;
    }
    throw new Error("expected an InputError");
  };

  it("reads YAML and JSON, keeping the Go duration text", () => {
    const yaml = "shared: {maxTokens: 100, refillPeriod: 1m0s}\nperUser:\n  maxTokens: 10\n  refillPeriod: 30s\ntools:\n  - name: search\n    shared: {maxTokens: 5, refillPeriod: 1m}\n";
    const want = {
      shared: { maxTokens: 100, refillPeriod: "1m0s" }, perUser: { maxTokens: 10, refillPeriod: "30s" },
      tools: [{ name: "search", shared: { maxTokens: 5, refillPeriod: "1m" } }],
    };
    expect(parseToolhiveLimits(yaml, "l.yaml")).toEqual(want);
    expect(parseToolhiveLimits(JSON.stringify(want), "l.json")).toEqual(want);
  });

  it("reads the spec.rateLimiting of an MCPServer manifest, and a thv RunConfig's rate_limit_config", () => {
    dir = tempDir("limits");
    const manifest = join(dir, "mcpserver.yaml");
    writeFileSync(manifest, "apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPServer\nmetadata: {name: github}\nspec:\n  image: ghcr.io/x/y\n  rateLimiting:\n    shared: {maxTokens: 2, refillPeriod: 1m}\n");
    expect(readToolhiveLimits(manifest)).toEqual({ shared: { maxTokens: 2, refillPeriod: "1m" } });
    expect(parseToolhiveLimits('{"name": "x", "rate_limit_config": {"perUser": {"maxTokens": 3, "refillPeriod": "1h"}}}', "run.json"))
      .toEqual({ perUser: { maxTokens: 3, refillPeriod: "1h" } });
  });

  it("an MCPServer with spec.rateLimit (not ToolHive's name) is pointed at spec.rateLimiting", () => {
    expect(errorOf("kind: MCPServer\nspec:\n  rateLimit:\n    shared: {maxTokens: 2, refillPeriod: 1m}\n"))
      .toBe("limits.yaml:4:5: error: ToolHive's MCPServer has no spec.rateLimit; ToolHive names the field spec.rateLimiting");
  });

  it("errors point at the line and column of what is wrong", () => {
    expect(errorOf("shared:\n  maxToken: 5\n  refillPeriod: 1m\n")).toBe("limits.yaml:2:3: error: unknown key `maxToken` in shared (ToolHive's CRD drops it); did you mean `maxTokens`?");
    expect(errorOf("shared:\n  maxTokens: 5\n  refillPeriod: 60\n")).toMatch(/^limits\.yaml:3:17: error: shared\.refillPeriod must be a Go duration string, got the number 60/);
    expect(errorOf("shared:\n  maxTokens: 5\n  refillPeriod: 1 m\n")).toMatch(/^limits\.yaml:3:17: error: shared\.refillPeriod: unknown unit " m"/);
    expect(errorOf("shared:\n  maxTokens: 5\n  refillPeriod: 0s\n")).toMatch(/^limits\.yaml:3:17: error: shared\.refillPeriod must be positive/);
    expect(errorOf("shared:\n  maxTokens: 0\n  refillPeriod: 1m\n")).toMatch(/^limits\.yaml:2:14: error: shared\.maxTokens must be >= 1/);
    expect(errorOf('shared:\n  maxTokens: "5"\n  refillPeriod: 1m\n')).toMatch(/^limits\.yaml:2:14: error: shared\.maxTokens must be an integer, got the string "5"/);
    expect(errorOf("tools:\n  - name: a\n")).toMatch(/^limits\.yaml:2:5: error: tool "a": at least one of shared or perUser must be configured/);
    expect(errorOf("tools:\n  - name: a\n    shared: {maxTokens: 1, refillPeriod: 1s}\n  - name: a\n    perUser: {maxTokens: 1, refillPeriod: 1s}\n"))
      .toMatch(/^limits\.yaml:4:11: error: tool "a" is listed twice/);
    expect(errorOf("tools: []\n")).toMatch(/^limits\.yaml:1:1: error: at least one of shared, perUser, or tools must be configured/);
  });

  it("a missing file is an InputError naming it", () => {
    expect(() => readToolhiveLimits("/nonexistent/limits.yaml")).toThrow(InputError);
  });
});
