/**
 * ToolHive's authz config file (pkg/authz/authorizers/config.go and cedar/core.go at e25de16c):
 * JSON, or YAML converted to JSON, `{version, type: "cedarv1", cedar: {policies: [...],
 * entities_json: "<JSON text>", group_claim_name, role_claim_name, group_entity_type,
 * multi_valued_claims, primary_upstream_provider}}`. Each `policies` entry is one policy, named
 * `policy<i>` by its index; a diagnostic inside one points into the config file itself.
 */
import { InputError, type Diagnostic } from "../errors.js";
import { parseYamlSource, toPlain, type YMap, type YNode, type YScalar } from "../yaml-source.js";
import type { LoadedCedar, ProfileSettings, ToolhiveOptions } from "./types.js";
import { loadPolicyText } from "./load.js";
import type { Placer } from "./policies.js";
import { cedar } from "./wasm.js";

export interface ToolhiveConfig {
  /** The policies joined one a line: Cedar numbers them policy0, policy1… as ToolHive does. */
  policies: string;
  settings: ProfileSettings;
  diagnostics: Diagnostic[];
  /** Maps a byte offset of `policies` to the config file's line and column. */
  place: Placer;
}

/** A parsed document (JSON or YAML) that is a ToolHive Cedar authz config. */
export function isToolhiveConfig(doc: unknown): boolean {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return false;
  const { type, cedar: options } = doc as Record<string, unknown>;
  return type === "cedarv1" && options !== null && typeof options === "object";
}

/** Reads a ToolHive authz config; throws an InputError when the file is not one. */
export function readToolhiveConfig(text: string, file: string): ToolhiveConfig {
  const root = parseYamlSource(text, file).root;
  const at = (node: YNode | undefined) => ({ file, line: node?.at.line ?? 1, col: node?.at.col ?? 1 });
  if (root?.kind !== "map" || !isToolhiveConfig(toPlain(root))) {
    throw new InputError("not a ToolHive Cedar authz config", at(root ?? undefined), 'write `type: cedarv1` and a `cedar:` mapping with `policies:`');
  }
  const options = entry(root, "cedar") as YMap;
  const diagnostics: Diagnostic[] = [];
  const policiesNode = entry(options, "policies");
  const items = policiesNode?.kind === "seq" ? policiesNode.items : [];
  if (items.length === 0) {
    throw new InputError("at least one policy is required for Cedar authorization", at(policiesNode ?? options), "list the policies under `cedar.policies`");
  }
  const texts: string[] = [];
  const pieces: { start: number; node: YScalar; text: string }[] = [];
  items.forEach((item, i) => {
    if (item.kind !== "scalar" || typeof item.value !== "string") {
      throw new InputError(`cedar.policies[${i}] is not a string`, at(item), "write each policy as a string");
    }
    const count = policyCount(item.value);
    if (count !== null && count !== 1) {
      diagnostics.push({ ...at(item), severity: "error", message: `cedar.policies[${i}] holds ${count} policies; ToolHive parses each entry as exactly one policy: split it` });
    }
    pieces.push({ start: Buffer.byteLength(texts.join("\n"), "utf8") + (i > 0 ? 1 : 0), node: item, text: item.value });
    texts.push(item.value);
  });

  const settings: ProfileSettings = { toolhive: toolhiveOptions(options, at, diagnostics) };
  const entitiesNode = entry(options, "entities_json");
  if (entitiesNode?.kind === "scalar" && typeof entitiesNode.value === "string" && entitiesNode.value.trim() !== "") {
    try {
      const entities = JSON.parse(entitiesNode.value) as unknown;
      if (!Array.isArray(entities)) throw new Error("not an array");
      settings.entities = entities;
    } catch (err) {
      diagnostics.push({ ...at(entitiesNode), severity: "error", message: `entities_json is not a JSON array of entities (${err instanceof Error ? err.message : String(err)})` });
    }
  }
  const upstream = entry(options, "primary_upstream_provider");
  if (upstream?.kind === "scalar" && upstream.value) {
    diagnostics.push({ ...at(upstream), severity: "warning", message: "primary_upstream_provider is set: ToolHive takes claims from that provider's token; mcptape uses the claims the tape or --claims gives" });
  }
  return { policies: texts.join("\n"), settings, diagnostics, place: placerInto(text, pieces) };
}

/** Reads a ToolHive config and loads its policies under the toolhive profile; flags add to its settings. */
export function loadToolhiveConfig(text: string, file: string, flags: ProfileSettings = {}): LoadedCedar {
  let config: ToolhiveConfig;
  try {
    config = readToolhiveConfig(text, file);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { engine: null, diagnostics: [{ file, line: err.line ?? 1, col: err.col ?? 1, severity: "error", message: err.hint ? `${err.message}; ${err.hint}` : err.message }] };
  }
  const settings: ProfileSettings = {
    ...config.settings,
    ...flags,
    entities: [...(config.settings.entities ?? []), ...(flags.entities ?? [])],
    toolhive: { ...config.settings.toolhive, ...flags.toolhive },
  };
  if (config.diagnostics.some((d) => d.severity === "error")) return { engine: null, diagnostics: config.diagnostics };
  const loaded = loadPolicyText(config.policies, file, "toolhive", settings, config.place);
  return { engine: loaded.engine, diagnostics: [...config.diagnostics, ...loaded.diagnostics] };
}

function toolhiveOptions(options: YMap, at: (n: YNode | undefined) => { file: string; line: number; col: number }, diagnostics: Diagnostic[]): ToolhiveOptions {
  const out: ToolhiveOptions = {};
  const text = (key: string): string | undefined => {
    const node = entry(options, key);
    return node?.kind === "scalar" && typeof node.value === "string" && node.value !== "" ? node.value : undefined;
  };
  const group = text("group_claim_name");
  if (group) out.groupClaimName = group;
  const role = text("role_claim_name");
  if (role) out.roleClaimName = role;
  const type = text("group_entity_type");
  if (type) {
    if (type.includes("::")) {
      diagnostics.push({ ...at(entry(options, "group_entity_type")), severity: "error", message: `group_entity_type ${JSON.stringify(type)} contains "::": ToolHive refuses namespaced group types` });
    }
    out.groupEntityType = type;
  }
  const multi = entry(options, "multi_valued_claims");
  if (multi?.kind === "seq") {
    out.multiValuedClaims = multi.items.flatMap((n) => (n.kind === "scalar" && typeof n.value === "string" ? [n.value] : []));
  }
  return out;
}

function entry(map: YMap, key: string): YNode | undefined {
  return map.entries.find((e) => e.keyText === key)?.value;
}

/** How many policies a text holds, by the official parser; null when it does not parse (reported later, in place). */
function policyCount(text: string): number | null {
  const parts = cedar().policySetTextToParts(text);
  return parts.type === "success" ? parts.policies.length + parts.policy_templates.length : null;
}

/**
 * A block scalar (`|`) keeps its lines: a position inside it maps exactly into the file. Any
 * other string (a JSON string with escapes) maps to the string's own start.
 */
function placerInto(file: string, pieces: { start: number; node: YScalar; text: string }[]): Placer {
  const fileLines = file.split("\n");
  return (offset) => {
    const piece = [...pieces].reverse().find((p) => p.start <= offset) ?? pieces[0]!;
    const { at, style } = piece.node;
    if (style !== "block") return { line: at.line, col: at.col };
    const before = Buffer.from(piece.text, "utf8").subarray(0, offset - piece.start).toString("utf8").split("\n");
    const firstLine = at.line + 1;
    const indent = /^\s*/.exec(fileLines[firstLine - 1] ?? "")![0].length;
    return { line: firstLine + before.length - 1, col: indent + [...before[before.length - 1]!].length + 1 };
  };
}
