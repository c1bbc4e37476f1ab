/** Turns replay flags (CLI or scenario `options:`) into checked ReplayOptions. */
import { InputError } from "../errors.js";
import { WINDOW_ALGORITHMS, type DecisionKind } from "../engine/types.js";
import { DEFAULT_REPLAY_OPTIONS, type ReplayOptions } from "./types.js";

export function replayOptionsFrom(opts: Record<string, unknown>, where?: { file: string }): ReplayOptions {
  const out: ReplayOptions = { ...DEFAULT_REPLAY_OPTIONS };
  if (opts.speed !== undefined) {
    const speed = Number(opts.speed);
    if (!Number.isFinite(speed) || speed <= 0) throw new InputError(`speed ${JSON.stringify(opts.speed)} is not a positive number`, where, "write --speed 10 for time ten times faster");
    out.speed = speed;
  }
  if (opts.at !== undefined) {
    const at = typeof opts.at === "string" ? Date.parse(opts.at) : NaN;
    if (Number.isNaN(at)) throw new InputError(`at ${JSON.stringify(opts.at)} is not an ISO time`, where, "write --at 2026-01-01T09:00:00Z");
    out.at = at;
  }
  out.approvals = oneOf(opts.approvals, ["approve", "deny", "pending"], "approvals", out.approvals, where);
  out.rollbackOn = oneOf(opts.rollbackOn, ["error", "error+isError"], "rollback-on", out.rollbackOn, where);
  out.window = oneOf(opts.window, WINDOW_ALGORITHMS, "window", out.window, where);
  if (typeof opts.identity === "string") out.identity = opts.identity;
  out.together = opts.together === true;
  return out;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, fallback: T, where?: { file: string }): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${name} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`, where, `write ${name}: ${allowed[0]}`);
}

const FAIL_ON = ["deny", "throttle", "approval", "undecided", "changed"] as const;

export function parseFailOn(value: unknown): Set<DecisionKind | "changed"> {
  const set = new Set<DecisionKind | "changed">();
  if (value === undefined) return set;
  for (const part of String(value).split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!(FAIL_ON as readonly string[]).includes(part)) {
      throw new InputError(`--fail-on ${JSON.stringify(part)} is not an outcome`, undefined, `use any of ${FAIL_ON.join(",")}`);
    }
    set.add(part as DecisionKind | "changed");
  }
  return set;
}

export function parsePercent(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const p = Number(value);
  if (!Number.isFinite(p) || p < 0 || p > 100) {
    throw new InputError(`--coverage-threshold ${JSON.stringify(value)} is not a percentage`, undefined, "write a number from 0 to 100, like --coverage-threshold 80");
  }
  return p;
}
