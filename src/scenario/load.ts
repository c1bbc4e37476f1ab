/**
 * Loading a scenario file: YAML with positions in, checked Scenarios out. Everything wrong is
 * an InputError at its line and column, with what to write instead.
 *
 * A file is one scenario (a mapping with `policy`, `calls`, `expect`, ...) or several under
 * `scenarios:`; then `policy`, `dialect`, `tapes` and `options` at the top are shared by every
 * scenario of the list that does not give its own.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { InputError } from "../errors.js";
import { filesBelow, readUserFile } from "../files.js";
import { replayOptionsFromScenario } from "../replay/options.js";
import { CEDAR_PROFILES, looksLikeCedar, type ProfileSettings } from "../cedar/index.js";
import { readEntities } from "../cedar/settings-file.js";
import { toolhiveLimitsFromNode } from "../cedar/toolhive-rate-limit.js";
import { claimsByIdentity } from "../gateway/claims.js";
import type { CedarOptions } from "../policy/dialects/cedar.js";
import { POLICY_DIALECTS } from "../policy/model.js";
import { toolsOfList } from "../tape/tools.js";
import { parseYamlSource, toPlain, type YMap, type YNode } from "../yaml-source.js";
import { DEFAULT_REPLAY_OPTIONS, type ReplayOptions } from "../replay/types.js";
import { readCalls } from "./load-calls.js";
import { readExpect } from "./load-expect.js";
import { paddedNodeSource } from "./inline-policy.js";
import { ScenarioReader } from "./reader.js";
import type { Scenario, ScenarioPolicy, ScenarioTools } from "./types.js";

const SHARED_KEYS = ["policy", "dialect", "profile", "gateway", "tools", "identities", "limits", "tapes", "options"] as const;
const GATEWAY_KEYS = ["server", "target", "gatewayArn", "stub", "entities"] as const;
const SCENARIO_KEYS = ["name", "description", ...SHARED_KEYS, "calls", "expect"] as const;
const FILE_KEYS = ["name", "description", "scenarios", ...SHARED_KEYS] as const;
const OPTION_KEYS = ["rollbackOn", "approvals", "speed", "window", "at", "identity"] as const;

export interface LoadOptions {
  /**
   * A file found by walking a folder that reads as a policy (has `tools` or `version` and no
   * scenario keys) is skipped, since policies often sit beside their scenarios.
   */
  skipPolicies?: boolean;
}

export function loadScenarioFile(file: string, options: LoadOptions = {}): Scenario[] {
  return loadScenarioText(readUserFile(file, "scenario file", "check the path given to mcptape test"), file, options);
}

export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): Scenario[] {
  const source = parseYamlSource(text, file);
  const r = new ScenarioReader(file);
  if (source.root === null) {
    throw new InputError("the scenario file is empty", { file, line: 1, col: 1 }, "write a mapping with policy, calls and expect (see docs/spec/scenario.md)");
  }
  const root = r.map(source.root, "a scenario file", "policy: policy.yaml");
  if (options.skipPolicies && looksLikePolicy(root)) return [];
  const list = r.get(root, "scenarios");
  const ctx: FileContext = { r, text, file, dir: dirname(file) };
  if (list === undefined) {
    r.keys(root, SCENARIO_KEYS, "a scenario");
    return [readScenario(ctx, root, undefined, ["policy"], defaultName(file))];
  }
  r.keys(root, FILE_KEYS, "a scenario file with `scenarios:`");
  const items = r.seq(list, "scenarios", "scenarios: [{name: ..., calls: [...], expect: {...}}]");
  if (items.items.length === 0) r.fail(list, "`scenarios:` is empty", "add at least one scenario");
  return items.items.map((item, i) => {
    const m = r.map(item, `scenario ${i + 1}`, "{name: ..., calls: [...], expect: {...}}");
    r.keys(m, SCENARIO_KEYS, "a scenario");
    const ownPolicy = r.get(m, "policy") !== undefined;
    return readScenario(ctx, m, root, ownPolicy ? ["scenarios", i, "policy"] : ["policy"], `${defaultName(file)} #${i + 1}`);
  });
}

function looksLikePolicy(root: YMap): boolean {
  const keys = new Set(root.entries.map((e) => e.keyText));
  const scenarioKeys = ["scenarios", "expect", "calls", "policy", "tapes"].some((k) => keys.has(k));
  return !scenarioKeys && (keys.has("tools") || keys.has("version") || keys.has("all_tools"));
}

interface FileContext {
  r: ScenarioReader;
  text: string;
  file: string;
  dir: string;
}

function defaultName(file: string): string {
  return basename(file).replace(/\.ya?ml$/i, "");
}

function readScenario(ctx: FileContext, m: YMap, shared: YMap | undefined, policyPath: (string | number)[], fallbackName: string): Scenario {
  const r: ScenarioReader = ctx.r;
  const pick = (key: (typeof SHARED_KEYS)[number]): YNode | undefined => r.get(m, key) ?? (shared ? r.get(shared, key) : undefined);

  const nameNode = r.get(m, "name");
  const name = nameNode ? r.string(nameNode, "name", "name: hourly limit throttles the sixth call") : fallbackName;
  const descNode = r.get(m, "description");
  if (descNode) r.string(descNode, "description", "description: why this matters");

  const policyNode = pick("policy");
  if (!policyNode) r.fail(m, "the scenario names no policy", "add policy: ../fixtures/policies/demo.yaml, or an inline policy mapping");
  const policy = readPolicy(ctx, policyNode, policyPath);

  const dialectNode = pick("dialect");
  const dialect = dialectNode ? r.oneOf(dialectNode, "dialect", POLICY_DIALECTS) : undefined;
  const profileNode = pick("profile");
  const gatewayNode = pick("gateway");
  const cedar: CedarOptions = {
    ...(profileNode ? { profile: r.oneOf(profileNode, "profile", CEDAR_PROFILES) } : {}),
    settings: gatewayNode ? readGateway(ctx, gatewayNode) : {},
  };
  const toolsNode = pick("tools");
  const tools = toolsNode ? readTools(ctx, toolsNode) : undefined;
  const identitiesNode = pick("identities");
  const identities = identitiesNode ? claimsByIdentity(toPlain(r.map(identitiesNode, "identities", "identities: {alice: {sub: alice}}")), r.at(identitiesNode)) : undefined;

  const tapesNode = pick("tapes");
  const tapes = tapesNode ? readTapes(ctx, tapesNode) : [];

  const optionsNode = pick("options");
  const options = optionsNode ? readOptions(ctx, optionsNode) : { ...DEFAULT_REPLAY_OPTIONS };

  const callsNode = r.get(m, "calls");
  const calls = callsNode ? readCalls(r, callsNode) : [];
  if (calls.length === 0 && tapes.length === 0) {
    r.fail(callsNode ?? m, "the scenario has no calls and no tapes", "add calls: [{tool: read_file, args: {path: a.txt}}] or tapes: [session.jsonl]");
  }

  const expectNode = r.get(m, "expect");
  if (!expectNode) r.fail(m, "the scenario expects nothing", "add expect: {calls: [{call: 1, decision: allow}]} or expect: {summary: {allow: 1}}");
  const expect = readExpect(r, expectNode);

  const limitsNode = pick("limits");
  const limits = limitsNode ? toolhiveLimitsFromNode(limitsNode, ctx.file) : undefined;
  return {
    name, at: r.at(m), policy, dialect, cedar, ...(tools ? { tools } : {}), ...(identities ? { identities } : {}), ...(limits ? { limits, limitsAt: r.at(limitsNode!) } : {}),
    tapes, calls, options, expectCalls: expect.calls, expectSummary: expect.summary,
  };
}

/** `gateway:`: the profile's settings, named as the flags are (camelCased); `stub` and `entities` are paths, read now. */
function readGateway(ctx: FileContext, node: YNode): ProfileSettings {
  const r: ScenarioReader = ctx.r;
  const m = r.map(node, "gateway", "gateway: {server: github}");
  r.keys(m, GATEWAY_KEYS, "gateway");
  const out: ProfileSettings = {};
  for (const e of m.entries) {
    const value = r.string(e.value, e.keyText, `${e.keyText}: name`);
    if (e.keyText !== "stub" && e.keyText !== "entities") {
      out[e.keyText as Exclude<(typeof GATEWAY_KEYS)[number], "stub" | "entities">] = value;
      continue;
    }
    const full = besideScenario(ctx, value);
    if (e.keyText === "entities") {
      const hint = "give a JSON list of Cedar entities, relative to the scenario file";
      if (!existsSync(full)) r.fail(e.value, `no such entities file: ${value} (looked for ${full})`, hint);
      out.entities = readEntities(full, hint);
      continue;
    }
    if (!existsSync(full)) r.fail(e.value, `no such stub file: ${value} (looked for ${full})`, "give the cedar-for-agents schema stub, relative to the scenario file");
    out.stub = readUserFile(full, "stub file", "give the cedar-for-agents schema stub, relative to the scenario file");
  }
  return out;
}

/** `tools:`: a list as tools/list answers it, or a path to a tape or tools JSON. */
function readTools(ctx: FileContext, node: YNode): ScenarioTools {
  const r: ScenarioReader = ctx.r;
  if (node.kind === "seq") {
    try {
      return { kind: "inline", tools: toolsOfList(toPlain(node), ctx.file) };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      r.fail(node, err.message, err.hint);
    }
  }
  const rel = r.string(node, "tools", "tools: [{name: transfer, annotations: {destructiveHint: true}}]");
  const full = besideScenario(ctx, rel);
  if (!existsSync(full)) r.fail(node, `no such tools file: ${rel} (looked for ${full})`, "give a tape (.jsonl) or a tools JSON, relative to the scenario file");
  return { kind: "file", path: full, at: r.at(node) };
}

function readPolicy(ctx: FileContext, node: YNode, path: (string | number)[]): ScenarioPolicy {
  const r: ScenarioReader = ctx.r;
  if (node.kind === "map") {
    const text = paddedNodeSource(ctx.text, path);
    if (text === undefined) r.fail(node, "cannot read the inline policy's source");
    return { kind: "inline", text, json: JSON.stringify(toPlain(node), null, 2), at: r.at(node) };
  }
  const rel = r.string(node, "policy", "policy: ../fixtures/policies/demo.yaml");
  if (rel.includes("\n") || looksLikeCedar(rel)) return { kind: "text", text: paddedScalar(ctx.text, node, rel), at: r.at(node) };
  const full = besideScenario(ctx, rel);
  if (!existsSync(full)) r.fail(node, `no such policy file: ${rel} (looked for ${full})`, "paths in a scenario are relative to the scenario file");
  return { kind: "file", path: full, at: r.at(node) };
}

/**
 * Policy text written under `policy: |`, padded so that its lines and columns are the scenario
 * file's: a block scalar's lines start on the line after its indicator, at the indentation of
 * its first line. Another scalar keeps its line; columns are its own.
 */
function paddedScalar(text: string, node: YNode, value: string): string {
  if (node.kind !== "scalar" || node.style !== "block") return "\n".repeat(node.at.line - 1) + value;
  const lines = text.split("\n");
  const first = lines.slice(node.at.line).find((l) => l.trim() !== "") ?? "";
  const indent = " ".repeat(first.length - first.trimStart().length);
  return "\n".repeat(node.at.line) + value.split("\n").map((l) => (l === "" ? "" : indent + l)).join("\n");
}

/** Relative paths are the scenario file's; kept relative (to where mcptape runs) for messages. */
function besideScenario(ctx: FileContext, path: string): string {
  return isAbsolute(path) ? path : join(ctx.dir, path);
}

function readTapes(ctx: FileContext, node: YNode): string[] {
  return ctx.r.strings(node, "tapes", "tapes: [../fixtures/tapes/session.jsonl]").map(({ value, node: item }) => {
    const full = besideScenario(ctx, value);
    if (!existsSync(full)) ctx.r.fail(item, `no such tape: ${value} (looked for ${full})`, "paths in a scenario are relative to the scenario file");
    // Said here, at the scenario's line, rather than when the run lists the folder (which knows no line).
    if (statSync(full).isDirectory() && filesBelow(full, (name) => name.endsWith(".jsonl")).length === 0) {
      ctx.r.fail(item, `no .jsonl tapes in folder ${value} (looked in ${full})`, "record one with mcptape record, or name the tape files");
    }
    return full;
  });
}

/** The same names as the replay flags, camelCased; each checked at its own place. */
function readOptions(ctx: FileContext, node: YNode): ReplayOptions {
  const r: ScenarioReader = ctx.r;
  const m = r.map(node, "options", "options: {rollbackOn: error, approvals: deny}");
  r.keys(m, OPTION_KEYS, "options");
  const plain: Record<string, unknown> = {};
  for (const e of m.entries) {
    const value = e.keyText === "identity" ? r.string(e.value, "identity", "identity: alice") : toPlain(e.value);
    if (value === null) continue;
    replayOptionsFromScenario({ [e.keyText]: value }, r.at(e.value));
    plain[e.keyText] = value;
  }
  return { ...replayOptionsFromScenario(plain, { file: ctx.file }), together: true };
}
