/**
 * `--shard I/N`: which gateway runs (tapes, scenario files) this runner takes. The split is a
 * pure function of the sorted paths and their sizes, so every CI runner computes the same
 * partition without talking to the others; parts are balanced by bytes.
 */
import { statSync } from "node:fs";
import { InputError } from "../errors.js";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

const HINT = "write --shard I/N with 1 <= I <= N, like --shard 1/4 on the first of four runners";

/** `2/4` as { index: 2, count: 4 }; anything else is bad input saying what to write. */
export function parseShard(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new InputError(`--shard ${JSON.stringify(value)} is not a part I of N parts`, undefined, HINT);
  }
  return { index, count };
}

export interface Unit {
  path: string;
  bytes: number;
}

/**
 * The N parts of the units, each as indexes into `units` in ascending order. Largest first
 * (ties by path), each to the part with the fewest bytes so far (ties to the lowest part):
 * the order the units were given in does not matter, only their paths and sizes.
 */
export function partition(units: readonly Unit[], count: number): number[][] {
  const order = units.map((_, i) => i).sort((a, b) => units[b]!.bytes - units[a]!.bytes || compare(units[a]!.path, units[b]!.path));
  const parts: number[][] = Array.from({ length: count }, () => []);
  const load = new Array<number>(count).fill(0);
  for (const i of order) {
    let lightest = 0;
    for (let p = 1; p < count; p++) if (load[p]! < load[lightest]!) lightest = p;
    parts[lightest]!.push(i);
    load[lightest]! += units[i]!.bytes;
  }
  for (const part of parts) part.sort((a, b) => a - b);
  return parts;
}

/** Byte order, not locale order: every runner sorts the same way. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Each path with its size on disk. */
export function unitsOf(paths: readonly string[]): Unit[] {
  return paths.map((path) => ({ path, bytes: statSync(path).size }));
}

/** The indexes (into `paths`) of the units the shard takes, or all of them without a shard. */
export function shardIndexes(units: readonly Unit[], shard: Shard | undefined): number[] {
  if (!shard) return units.map((_, i) => i);
  return partition(units, shard.count)[shard.index - 1]!;
}

/** `--together` makes all tapes one gateway run: there is nothing to split. */
export function refuseShardTogether(shard: Shard | undefined, together: boolean): void {
  if (shard && together) {
    throw new InputError("--shard cannot split a --together run: all tapes are one gateway run", undefined, "leave out --shard to replay the tapes together on one runner, or leave out --together to shard by tape");
  }
}
