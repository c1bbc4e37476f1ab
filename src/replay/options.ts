/**
 * Replay options, checked once for both places they are written: command-line flags and a
 * scenario file's `options:`. Each place gets its own wording in messages (`--rollback-on
 * error` on the command line, `rollbackOn: error` in a scenario file).
 */
import { InputError, type Position } from "../errors.js";
import { WINDOW_ALGORITHMS, type DecisionKind } from "../engine/types.js";
import { DEFAULT_REPLAY_OPTIONS, type ReplayOptions } from "./types.js";

/**
 * A date (UTC midnight) or a time with its zone: Date.parse reads a time without one in the
 * machine's own zone, so the same replay would decide differently on another machine.
 */
const ISO_DATE_OR_ZONED_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/** How an option is written where the user wrote it. */
type Spelling = (key: "speed" | "at" | "approvals" | "rollbackOn" | "window" | "identity", value: string) => string;
const FLAG: Spelling = (key, value) => `--${key === "rollbackOn" ? "rollback-on" : key} ${value}`;
const SCENARIO_KEY: Spelling = (key, value) => `${key}: ${value}`;

/** The replay flags as given on the command line (commander's camel-cased names), not yet checked. */
export type ReplayFlagValues = {
  speed?: string | undefined;
  at?: string | undefined;
  approvals?: string | undefined;
  rollbackOn?: string | undefined;
  window?: string | undefined;
  identity?: string | undefined;
  together: boolean;
};

/** Options from command-line flags. */
export function replayOptionsFromFlags(flags: ReplayFlagValues): ReplayOptions {
  return replayOptionsFrom(flags, FLAG);
}

/** Options from a scenario file's `options:` mapping; errors point at `where`. */
export function replayOptionsFromScenario(options: Record<string, unknown>, where: Position): ReplayOptions {
  return replayOptionsFrom(options, SCENARIO_KEY, where);
}

function replayOptionsFrom(opts: Record<string, unknown>, spell: Spelling, where?: Position): ReplayOptions {
  const out: ReplayOptions = { ...DEFAULT_REPLAY_OPTIONS };
  if (opts.speed !== undefined) {
    const speed = Number(opts.speed);
    if (!Number.isFinite(speed) || speed <= 0) throw new InputError(`speed ${JSON.stringify(opts.speed)} is not a positive number`, where, `write ${spell("speed", "10")} for time ten times faster`);
    out.speed = speed;
  }
  if (opts.at !== undefined) {
    const text = typeof opts.at === "string" ? opts.at.trim() : "";
    const at = ISO_DATE_OR_ZONED_TIME.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(at)) {
      const zoneless = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text);
      const problem = zoneless ? "has no time zone (it would be read in this machine's)" : "is not an ISO time";
      throw new InputError(`at ${JSON.stringify(opts.at)} ${problem}`, where, `write ${spell("at", zoneless ? `${text}Z` : "2026-01-01T09:00:00Z")}`);
    }
    out.at = at;
  }
  out.approvals = oneOf(opts.approvals, ["approve", "deny", "pending"], "approvals", out.approvals, spell, where);
  out.rollbackOn = oneOf(opts.rollbackOn, ["error", "error+isError"], "rollbackOn", out.rollbackOn, spell, where);
  out.window = oneOf(opts.window, WINDOW_ALGORITHMS, "window", out.window, spell, where);
  if (typeof opts.identity === "string") {
    // An empty identity names no caller: an unset variable (--identity "$WHO") is not an identity.
    if (opts.identity.trim() === "") throw new InputError(`identity ${JSON.stringify(opts.identity)} names no one`, where, `write ${spell("identity", "alice")}, or leave it out`);
    out.identity = opts.identity;
  }
  out.together = opts.together === true;
  return out;
}

function oneOf<T extends string>(
  value: unknown, allowed: readonly T[], key: "approvals" | "rollbackOn" | "window", fallback: T, spell: Spelling, where?: Position,
): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  const name = spell(key, "").trimEnd().replace(/:$/, "");
  throw new InputError(`${name} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`, where, `write ${spell(key, allowed[0]!)}`);
}

/** What `--fail-on` may name. */
export const FAIL_ON = ["deny", "throttle", "approval", "undecided", "changed"] as const;

export function parseFailOn(value: string | undefined): Set<DecisionKind | "changed"> {
  const set = new Set<DecisionKind | "changed">();
  if (value === undefined) return set;
  for (const part of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const outcome = FAIL_ON.find((o) => o === part);
    if (outcome === undefined) {
      throw new InputError(`--fail-on ${JSON.stringify(part)} is not an outcome`, undefined, `use any of ${FAIL_ON.join(",")}`);
    }
    set.add(outcome);
  }
  // `--fail-on "$UNSET_VARIABLE"` would otherwise be a gate that never fails.
  if (set.size === 0) throw new InputError("--fail-on names no outcome", undefined, `use any of ${FAIL_ON.join(",")}, like --fail-on deny,changed`);
  return set;
}

export function parsePercent(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Number("") and Number(" ") are 0: a threshold no run falls below, from an unset variable.
  const p = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(p) || p < 0 || p > 100) {
    throw new InputError(`--coverage-threshold ${JSON.stringify(value)} is not a percentage`, undefined, "write a number from 0 to 100, like --coverage-threshold 80");
  }
  return p;
}
