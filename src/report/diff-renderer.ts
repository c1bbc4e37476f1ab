/**
 * A diff report renderer: data in, text out, in three steps so long diffs stream.
 * `call` is given every call in replay order (changed or not); `end` gets the totals.
 */
import type { DiffTotals } from "../diff/totals.js";
import type { DiffedCall } from "../diff/types.js";
import type { ListView } from "./list-view.js";
import type { Policy } from "../policy/model.js";

export interface DiffMeta {
  /** The policies as the user named them (a file or `REV:PATH`). */
  base: string;
  head: string;
  tapes: string[];
  failOnChange: boolean;
  failOnLoosen: boolean;
  /** Unified diff of the two policy texts: "" when they are the same, null when too large to show. */
  patch: string | null;
  /** Tape warnings (cut lines, missing end) seen while reading. */
  warnings: string[];
  /** Which changed calls text and markdown list (`--only`, `--quiet`, `--wide`); every one when absent. */
  view?: ListView;
  /** The loaded policies, for reports that point at a rule's line (github, sarif). */
  policies?: { base?: Policy; head?: Policy };
  /**
   * Which gateway decides each side (gateway/create.ts gatewayKind), when they are two different
   * ones: only decisions are compared. `limits`: what became of one side's rate limits (limitsLeftOut).
   */
  gateways?: { base: string; head: string; limits?: string };
}

/** What a report says when base and head are different gateways (a migration): one line, no markup. */
export function gatewaysLine(gateways: { base: string; head: string; limits?: string }): string {
  const line = `The base policy is decided as ${gateways.base}, the head as ${gateways.head}: their rules and messages name different things, so only decisions are compared.`;
  return gateways.limits ? `${line} ${gateways.limits}` : line;
}

export interface DiffEnd {
  totals: DiffTotals;
}

export interface DiffRenderer {
  start(meta: DiffMeta): string;
  call(call: DiffedCall, index: number): string;
  end(end: DiffEnd): string;
  /**
   * `call` takes nothing from a call whose decision did not change (it gives "" and keeps
   * nothing): `--jobs` then hands the main thread only the changed calls (parallel/changes-only.ts).
   */
  changesOnly?: true;
}

/** The exit verdict shared by the CLI and the reports: does this diff fail the run? */
export function diffFails(meta: Pick<DiffMeta, "failOnChange" | "failOnLoosen">, totals: DiffTotals): boolean {
  return (meta.failOnChange && totals.summary.changed > 0) || (meta.failOnLoosen && totals.summary.loosened > 0);
}
