/**
 * The hardening properties, shared by the test suite (a few hundred runs) and
 * `npm run fuzz:self` (scripts/fuzz-self.ts, many more): every reader of user files, fed
 * random bytes or near-valid documents (real files with values, types and keys mutated),
 * throws nothing but InputError; loaders that return diagnostics return a policy exactly
 * when there is no error.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { InputError } from "../../src/errors.js";
import { loadPolicyText } from "../../src/policy/load.js";
import { loadScenarioText } from "../../src/scenario/load.js";
import { parseTape } from "../../src/tape/parse-text.js";
import { ROOT } from "../cli/run-cli.js";
import { CORPUS } from "../helpers/corpus.js";

export interface HardeningProperty {
  name: string;
  property: fc.IProperty<[unknown]> | fc.IProperty<unknown[]>;
}

const read = (dir: string, ext: RegExp): { file: string; text: string }[] =>
  readdirSync(dir).filter((f) => ext.test(f)).map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), "utf8") }));

const POLICIES = join(ROOT, "fixtures/policies");
/** The project's own policies always; the corpus's real ones too when MCPTAPE_CORPUS names them. */
const interceptSeeds = [...read(POLICIES, /\.ya?ml$/), ...(CORPUS === undefined ? [] : read(CORPUS, /\.ya?ml$/))].map(
  (s) => parseYaml(s.text) as unknown,
);
const catalogueSeeds = read(POLICIES, /(catalog|seed-).*\.ya?ml$/).map((s) => parseYaml(s.text) as unknown);
const policyLayerSeeds = read(POLICIES, /\.policylayer\.json$/).map((s) => JSON.parse(s.text) as unknown);
const scenarioSeeds = read(join(ROOT, "scenarios"), /\.ya?ml$/).map((s) => parseYaml(s.text) as unknown);
const tapeSeedLines = ["everything.jsonl", "filesystem.jsonl"].flatMap((f) =>
  readFileSync(join(ROOT, "fixtures/tapes", f), "utf8").split("\n").filter((l) => l !== "").slice(0, 40).map((l) => JSON.parse(l) as unknown));

/** Values that sit on the edges of what the loaders check. */
const EDGE_VALUES: unknown[] = [
  "", "1", "0", "-1", 1, 0, -1, 1.5, 1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, true, false, null, [], {},
  "5/minute", "0/minute", "-3/hour", "99999999999999999999/day", "args.", "args.a.b", "state.", "state.x.y", "state.*._rate_minute",
  "(", "[", "(a+)+$", "(?i)x", "\\1", "*", "minute", "hour", "week", "lt", "lte", "regex", "in", "exists", "contains",
  "evaluate", "deny", "allow", "require_approval", "+30s", "-1s", "+99999999999999h", "2026-13-45T00:00:00Z", "2026-01-01T00:00:00Z",
  "__proto__", "constructor", "toString", "x".repeat(300),
];
const KEYS = ["version", "default", "hide", "tools", "rules", "name", "action", "conditions", "path", "op", "value", "on_deny",
  "state", "counter", "window", "increment", "increment_from", "rate_limit", "max", "reason", "limits", "deny_if", "require",
  "all_tools", "scope", "policy", "calls", "expect", "tool", "args", "t", "decision", "call", "summary", "options", "scenarios", "__proto__"];

const replacement = fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.jsonValue({ maxDepth: 2 }));

type Mutation = { at: number; kind: "replace" | "delete" | "rename" | "wrap" | "add"; value: unknown; key: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("replace", "delete", "rename", "wrap", "add"),
  value: replacement,
  key: fc.constantFrom(...KEYS),
});

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => typeof v === "object" && v !== null;

/** Every (container, key) slot of a document, in pre-order. */
function slots(doc: unknown): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const walk = (v: unknown): void => {
    if (!isContainer(v)) return;
    const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const k of keys) {
      out.push([v, k]);
      walk((v as Record<string | number, unknown>)[k]);
    }
  };
  walk(doc);
  return out;
}

const set = (c: Container, k: string | number, v: unknown): void => {
  Object.defineProperty(c, k, { value: v, enumerable: true, writable: true, configurable: true });
};

/** A deep copy of `seed` with the mutations applied (each at a slot picked by index). */
export function mutate(seed: unknown, mutations: Mutation[]): unknown {
  const doc = structuredClone({ root: seed });
  for (const m of mutations) {
    const all = slots(doc.root);
    if (all.length === 0) return m.value;
    const [c, k] = all[m.at % all.length]!;
    const old = (c as Record<string | number, unknown>)[k];
    if (m.kind === "replace") set(c, k, structuredClone(m.value));
    else if (m.kind === "wrap") set(c, k, Array.isArray(old) ? { items: old } : [old]);
    else if (m.kind === "delete") {
      if (Array.isArray(c)) c.splice(k as number, 1);
      else delete c[k as string];
    } else if (m.kind === "rename" && !Array.isArray(c)) {
      delete c[k as string];
      set(c, m.key, old);
    } else if (m.kind === "add" && isContainer(old)) {
      if (Array.isArray(old)) old.push(structuredClone(m.value));
      else set(old, m.key, structuredClone(m.value));
    }
  }
  return doc.root;
}

/** Text-level damage on a serialised document: cut, doubled or swapped characters, a tab. */
const textDamage = fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom("cut", "dup", "tab", "drop", "quote") }), { maxLength: 3 });
function damage(text: string, edits: { at: number; kind: string }[]): string {
  let t = text;
  for (const e of edits) {
    if (t.length === 0) break;
    const i = e.at % t.length;
    if (e.kind === "cut") t = t.slice(0, i);
    else if (e.kind === "dup") t = t.slice(0, i) + t.slice(i, i + 8) + t.slice(i);
    else if (e.kind === "tab") t = t.slice(0, i) + "\t" + t.slice(i);
    else if (e.kind === "drop") t = t.slice(0, i) + t.slice(i + 1);
    else t = t.slice(0, i) + '"' + t.slice(i);
  }
  return t;
}

const nearValid = (seeds: unknown[], serialise: (v: unknown) => string): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), textDamage)
    .map(([seed, ms, edits]) => damage(serialise(mutate(seed, ms)), edits));

const randomText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString("utf8")),
);

const yamlText = (v: unknown): string => { try { return stringifyYaml(v); } catch { return JSON.stringify(v) ?? ""; } };

/** Throws whatever `run` throws unless it is an InputError. */
function onlyInputErrors(run: () => void): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
  }
}

function policyLoads(text: string, file: string, dialect?: "intercept" | "policylayer"): void {
  onlyInputErrors(() => {
    const r = loadPolicyText(text, file, dialect);
    if ((r.policy === null) !== r.diagnostics.some((d) => d.severity === "error")) {
      throw new Error(`policy is ${r.policy === null ? "null without an error" : "returned despite errors"}`);
    }
    for (const d of r.diagnostics) {
      if (!(d.line >= 1 && d.col >= 1)) throw new Error(`diagnostic without a position: ${JSON.stringify(d)}`);
    }
  });
}

const SCENARIO_FILE = join(ROOT, "scenarios", "fuzzed.yaml");

export const PROPERTIES: HardeningProperty[] = [
  { name: "tape reader: random bytes", property: fc.property(fc.uint8Array({ maxLength: 600 }), (b) => onlyInputErrors(() => parseTape(Buffer.from(b), "fuzz.jsonl"))) },
  {
    name: "tape reader: real tapes with lines mutated and damaged",
    property: fc.property(
      fc.array(fc.tuple(fc.constantFrom(...tapeSeedLines), fc.array(mutation, { maxLength: 2 })), { minLength: 1, maxLength: 8 }),
      textDamage,
      (lines, edits) => {
        const text = damage(lines.map(([l, ms]) => JSON.stringify(ms.length ? mutate(l, ms) : l)).join("\n") + "\n", edits);
        onlyInputErrors(() => parseTape(text, "fuzz.jsonl"));
      },
    ),
  },
  { name: "Intercept loader: random text", property: fc.property(randomText, (t) => policyLoads(t, "fuzz.yaml", "intercept")) },
  { name: "Intercept loader: real policies mutated", property: fc.property(nearValid(interceptSeeds, yamlText), (t) => policyLoads(t, "fuzz.yaml")) },
  { name: "catalogue form: seed policies mutated", property: fc.property(nearValid(catalogueSeeds, yamlText), (t) => policyLoads(t, "fuzz.yaml", "intercept")) },
  { name: "PolicyLayer loader: random text", property: fc.property(randomText, (t) => policyLoads(t, "fuzz.json", "policylayer")) },
  { name: "PolicyLayer loader: real policies mutated", property: fc.property(nearValid(policyLayerSeeds, (v) => JSON.stringify(v, null, 2) ?? ""), (t) => policyLoads(t, "fuzz.json", "policylayer")) },
  { name: "scenario loader: random text", property: fc.property(randomText, (t) => onlyInputErrors(() => loadScenarioText(t, SCENARIO_FILE))) },
  { name: "scenario loader: example scenarios mutated", property: fc.property(nearValid(scenarioSeeds, yamlText), (t) => onlyInputErrors(() => loadScenarioText(t, SCENARIO_FILE))) },
];
