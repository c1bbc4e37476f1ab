/**
 * The shape of a results file, checked before merge trusts it: a hand-edited or damaged line
 * is bad input at its file and line (exit 2), never a call dropped or a crash. The checks
 * follow schemas/results.schema.json as far as merge reads the values.
 */
import { createHash } from "node:crypto";
import { InputError, type Position } from "../errors.js";
import { DECISION_KINDS } from "../engine/types.js";
import { LIST_KINDS } from "../report/list-view.js";
import { FAIL_ON } from "../replay/options.js";
import { RESULTS_VERSION, type ResultsHeader, type ResultsRecord } from "../parallel/results.js";
import { isJsonObject } from "../json/object.js";

const AS_WRITTEN = "give the file --report results=FILE wrote, unchanged";
/** What a run's --fail-on flags are recorded as: replay's outcomes, diff's change/loosen. */
const RECORDED_FAIL_ON = { replay: FAIL_ON, diff: ["change", "loosen"] } as const;

type Obj = Record<string, unknown>;
const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

export function checkHeader(h: unknown, file: string): ResultsHeader {
  const at = { file, line: 1, col: 1 };
  if (!isJsonObject(h) || h.mcptape !== "results") throw new InputError("not a results file: its first line is not a results header", at, "give the file --report results=FILE wrote");
  if (h.version !== RESULTS_VERSION) {
    throw new InputError(`results format version ${JSON.stringify(h.version)}, this mcptape reads version ${RESULTS_VERSION}`, at, "merge with the mcptape version that wrote the results");
  }
  const bad = (what: string): never => {
    throw new InputError(`the results header's ${what} is not as mcptape writes it`, at, AS_WRITTEN);
  };
  const { setup, render, tapes, shard, units } = h;
  if (!isJsonObject(setup) || (setup.command !== "replay" && setup.command !== "diff") || !isJsonObject(setup.options)) bad("setup");
  const command = (setup as Obj).command as "replay" | "diff";
  const policies = (setup as Obj).policies;
  if (!Array.isArray(policies) || policies.length !== (command === "diff" ? 2 : 1)) bad("policies");
  for (const p of policies as unknown[]) {
    if (!isJsonObject(p) || typeof p.name !== "string" || typeof p.text !== "string" || typeof p.sha256 !== "string") bad("policies");
    // The policy is decided again from this text: it must be the text the run decided with.
    if (createHash("sha256").update((p as Obj).text as string).digest("hex") !== (p as Obj).sha256) bad(`policy ${JSON.stringify((p as Obj).name)} (its text does not match its digest)`);
  }
  if (!isJsonObject(render) || !isStrings(render.failOn) || !render.failOn.every((o) => (RECORDED_FAIL_ON[command] as readonly string[]).includes(o))) bad("render.failOn");
  const view = (render as Obj).view;
  if (!isJsonObject(view) || typeof view.quiet !== "boolean" || typeof view.all !== "boolean" || typeof view.wide !== "boolean") bad("render.view");
  const only = (view as Obj).only;
  if (only !== undefined && !(isStrings(only) && only.every((k) => (LIST_KINDS as readonly string[]).includes(k)))) bad("render.view.only");
  if (!Array.isArray(tapes) || !tapes.every((t) => isJsonObject(t) && typeof t.path === "string" && isInt(t.bytes))) bad("tapes");
  if (shard !== null && !(isJsonObject(shard) && isInt(shard.index) && isInt(shard.count) && shard.index >= 1 && shard.index <= shard.count)) bad("shard");
  const count = (tapes as unknown[]).length;
  if (!Array.isArray(units) || !units.every((u) => isInt(u) && u < Math.max(count, 1))) bad("units");
  return h as unknown as ResultsHeader;
}

/** Checks one record of a file whose header is `header`; `lastUnit` is the unit of the file's previous call or warning. */
export function checkRecord(r: unknown, header: ResultsHeader, at: Position, lastUnit: number): ResultsRecord {
  const bad = (what: string): never => {
    throw new InputError(`${what}: not a record as mcptape writes it`, at, AS_WRITTEN);
  };
  if (!isJsonObject(r)) return bad("a results line must be a JSON object");
  if ("end" in r) {
    if (!isJsonObject(r.end) || !isInt(r.end.records)) bad("the end line");
    return r as unknown as ResultsRecord;
  }
  if (!("call" in r || "warning" in r || "tools" in r)) bad("a record with no call, warning, tools or end");
  if (!isInt(r.unit) || !header.units.includes(r.unit)) bad(`unit ${JSON.stringify(r.unit)} is not one this shard took`);
  if ("call" in r) {
    if (!(header.setup.command === "diff" ? isDiffCall(r.call) : isReplayCall(r.call))) bad(`the ${header.setup.command} call`);
  } else if ("warning" in r) {
    if (typeof r.warning !== "string") bad("the warning");
  } else if ("tools" in r) {
    if (!Array.isArray(r.tools) || !r.tools.every((t) => isJsonObject(t) && typeof t.name === "string") || !Array.isArray(r.sessions) || !r.sessions.every((s) => isJsonObject(s) && typeof s.session === "string")) bad("the tools and sessions");
    return r as unknown as ResultsRecord;
  }
  // Calls and warnings come in the order of their units (merge interleaves the files by unit).
  if ((r.unit as number) < lastUnit) bad(`unit ${r.unit as number} after unit ${lastUnit}`);
  return r as unknown as ResultsRecord;
}

function isDecision(d: unknown): boolean {
  return isJsonObject(d) && (DECISION_KINDS as readonly unknown[]).includes(d.decision);
}

function isCall(c: unknown): c is Obj {
  return isJsonObject(c) && typeof c.session === "string" && typeof c.tool === "string" && typeof c.tape === "string" && typeof c.t === "number" && typeof c.seq === "number";
}

function isReplayCall(c: unknown): boolean {
  return isCall(c) && isDecision(c.decision);
}

function isDiffCall(c: unknown): boolean {
  return isCall(c) && isDecision(c.base) && isDecision(c.head);
}
