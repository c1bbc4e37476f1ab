/**
 * A tool's arguments: a base object (from the inputSchema, from arguments recorded in a tape,
 * or empty), then a few edits at the paths that matter: policy-derived values set, keys
 * removed, values of the wrong type. Edits copy only along their path, so a case costs little.
 */
import fc from "fast-check";
import { CONFUSING } from "./near.js";
import type { PathValues } from "./policy-values.js";
import { schemaArb } from "./schema-arb.js";

export interface ArgsSources {
  inputSchema?: Record<string, unknown>;
  /** Arguments recorded for this tool (tools/call in a tape). */
  recorded: readonly unknown[];
  /** Paths the policy (and the forbidden expressions) test, with values worth trying. */
  pathValues: readonly PathValues[];
}

type Confusion = "string" | "number" | "array" | "object" | "null";
const CONFUSIONS: readonly Confusion[] = ["string", "number", "array", "object", "null"];

export type Edit =
  | { kind: "set"; path: readonly string[]; value: unknown }
  | { kind: "delete"; path: readonly string[] }
  | { kind: "confuse"; path: readonly string[]; how: Confusion };

export function argsArb(src: ArgsSources): fc.Arbitrary<unknown> {
  const bases: fc.Arbitrary<unknown>[] = [fc.constant({})];
  if (src.inputSchema) bases.push(schemaArb(src.inputSchema));
  if (src.recorded.length > 0) bases.push(fc.constantFrom(...src.recorded));
  // Every path the policy tests set at once: a rule allows only when all its conditions hold, and a few edits reach no more than a few paths.
  if (src.pathValues.length > 1) {
    bases.push(fc.tuple(...src.pathValues.map((pv) => pv.values)).map((values) =>
      values.reduce((args: unknown, value, i) => applyEdit(args, { kind: "set", path: src.pathValues[i]!.path, value }), {})));
  }
  const base = bases.length === 1 ? bases[0]! : fc.oneof(...bases);

  const known = knownPaths(src);
  const edits: fc.Arbitrary<Edit>[] = src.pathValues.map((pv) =>
    pv.values.map((value): Edit => ({ kind: "set", path: pv.path, value })),
  );
  if (known.length > 0) {
    const path = fc.constantFrom(...known);
    edits.push(path.map((p): Edit => ({ kind: "delete", path: p })));
    edits.push(fc.tuple(path, fc.constantFrom(...CONFUSIONS)).map(([p, how]): Edit => ({ kind: "confuse", path: p, how })));
    edits.push(fc.tuple(path, fc.constantFrom(...CONFUSING)).map(([p, value]): Edit => ({ kind: "set", path: p, value })));
  }
  if (edits.length === 0) return base;
  // Policy values most of the time: they are where the bypasses hide.
  const policyEdits = src.pathValues.length;
  const weighted = edits.map((arbitrary, i) => ({ arbitrary, weight: i < policyEdits ? 4 : 1 }));
  return fc.tuple(base, fc.array(fc.oneof(...weighted), { maxLength: 3 })).map(([b, es]) => {
    let args = b;
    for (const e of es) args = applyEdit(args, e);
    return args;
  });
}

/** Paths worth editing: the policy's, the schema's top-level properties, the recorded keys. */
function knownPaths(src: ArgsSources): (readonly string[])[] {
  const seen = new Map<string, readonly string[]>();
  for (const pv of src.pathValues) seen.set(pv.path.join("."), pv.path);
  const props = src.inputSchema?.properties;
  if (props && typeof props === "object") for (const k of Object.keys(props)) seen.set(k, [k]);
  for (const r of src.recorded.slice(0, 50)) {
    if (r && typeof r === "object" && !Array.isArray(r)) for (const k of Object.keys(r)) seen.set(k, [k]);
  }
  return [...seen.values()];
}

/** A copy of `root` with the edit made; objects on the way are copied, never changed. */
export function applyEdit(root: unknown, e: Edit): unknown {
  return editAt(root, e, 0);
}

function editAt(node: unknown, e: Edit, i: number): unknown {
  const obj: Record<string, unknown> = node !== null && typeof node === "object" && !Array.isArray(node) ? { ...(node as Record<string, unknown>) } : {};
  const key = e.path[i]!;
  if (i < e.path.length - 1) {
    put(obj, key, editAt(Object.hasOwn(obj, key) ? obj[key] : undefined, e, i + 1));
    return obj;
  }
  if (e.kind === "set") put(obj, key, e.value);
  else if (e.kind === "delete") delete obj[key];
  else put(obj, key, confuse(Object.hasOwn(obj, key) ? obj[key] : undefined, e.how));
  return obj;
}

/** An own property even for a key like `__proto__`, as JSON.parse makes it. */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function confuse(v: unknown, how: Confusion): unknown {
  switch (how) {
    case "string":
      return typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v);
    case "number": {
      const n = typeof v === "string" ? Number(v) : typeof v === "boolean" ? Number(v) : typeof v === "number" ? v : NaN;
      return Number.isFinite(n) ? n : 0;
    }
    case "array":
      return v === undefined ? [] : [v];
    case "object":
      return v === undefined ? {} : { value: v };
    case "null":
      return null;
  }
}
