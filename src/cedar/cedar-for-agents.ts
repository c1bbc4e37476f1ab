/**
 * cedar-for-agents: the request the MCP schema generator (cedar-policy/cedar-for-agents,
 * rust/cedar-policy-mcp-schema-generator src/generator/request.rs at bf3ea5a6) makes of a tool
 * call. The official generator (@cedar-policy/mcp-schema-generator-wasm) validates the input
 * against the tool's inputSchema and names principal, action and resource; its generateRequest
 * does not return the context, so `context.input` is built here to the generator's rules:
 *  - boolean, string: as they are; integer → Long; `float` → `<NS>::Float::"<debug text>"`;
 *    number → `<NS>::Number::"<text>"`, or decimal rounded to 4 places with numbersAsDecimal;
 *    string with format `decimal` → decimal(text); null → `<NS>::Null::"null"`;
 *  - an enum string → `<ns>::<property>::"<value>"`; arrays → Sets; a union (type list,
 *    anyOf, oneOf) → `{typeChoice<i>: value}` for the first type the value fits;
 *  - an object → an entity `<ns>::<property>` with a fresh id (attributes its properties, tags
 *    its additionalProperties), or a record with objectsAsRecords when it has no additionalProperties;
 *  - a value of unknown type (`{}` schema) → `<NS>::Unknown::"<fresh id>"`: unequal to any other.
 * Not rebuilt yet (the call is `undecided`, saying what): $ref, tuples (prefixItems),
 * date/date-time/duration/ipv4/ipv6 formats, and the generator's deduplicateEntityTypes and
 * flattenNamespaces options. A number's text is JavaScript's (`10.0` reads as `10`).
 */
import type { Diagnostic } from "../errors.js";
import type { CedarCall, GeneratorOptions, ProfileSettings } from "./types.js";
import type { Built, Profile } from "./engine.js";
import { field } from "./json-values.js";
import { cedar, mcpGenerator, type CedarValueJson, type EntityJson, type TypeAndId } from "./wasm.js";

export const DEFAULT_RESOURCE_ID = "default";

class Unsupported extends Error {}

interface Stub {
  namespace: string | null;
  principalType: string;
  resourceType: string;
}

export function cedarForAgentsProfile(settings: ProfileSettings, file: string): { profile: Profile | null; diagnostics: Diagnostic[] } {
  const fail = (message: string) => ({ profile: null, diagnostics: [{ file, line: 1, col: 1, severity: "error" as const, message }] });
  if (!settings.stub) return fail("profile cedar-for-agents needs the schema stub (--stub FILE) that marks @mcp_principal and @mcp_resource entity types");
  const stub = readStub(settings.stub);
  if (typeof stub === "string") return fail(stub);
  const options = settings.generator ?? {};
  let fresh = 0;
  const qualify = (name: string) => (stub.namespace ? `${stub.namespace}::${name}` : name);
  return {
    diagnostics: [],
    profile: {
      name: "cedar-for-agents",
      errorsDeny: false,
      // No gateway: nothing filters the list.
      listFilter: "none",
      denyMessage: () => null,
      build(call: CedarCall): Built {
        const sub = call.claims?.sub;
        const principalId = typeof sub === "string" && sub !== "" ? sub : call.identity;
        if (principalId === undefined) return { refused: "(no principal)", why: "no `sub` claim and no identity for the @mcp_principal entity" };
        const tool = call.tools.get(call.tool);
        const args = call.args ?? {};
        const answer = JSON.parse(mcpGenerator().generateRequest(
          settings.stub!,
          JSON.stringify(tool ? [{ name: tool.name, inputSchema: tool.inputSchema ?? { type: "object" } }] : []),
          JSON.stringify({ params: { tool: call.tool, args } }),
          stub.principalType, principalId, stub.resourceType, settings.server ?? DEFAULT_RESOURCE_ID,
          JSON.stringify(options),
        )) as { isOk: boolean; error: string | null; action: string | null };
        if (!answer.isOk || !tool) {
          return { refused: "(invalid input)", why: `the MCP schema generator refused the call: ${answer.error ?? `no tools/list entry for ${call.tool}`}` };
        }
        const entities: EntityJson[] = [];
        const inputNs = qualify(`${call.tool}::Input`);
        const typer = new Typer(qualify, options, entities, () => `mcptape-${fresh++}`);
        let input: Record<string, CedarValueJson>;
        try {
          input = typer.record(args as Record<string, unknown>, field(tool.inputSchema, "properties"), inputNs);
        } catch (err) {
          if (!(err instanceof Unsupported)) throw err;
          // The generator took the input: a gateway would decide it; only mcptape cannot rebuild its context.
          return { unbuilt: `cannot decide: mcptape does not rebuild this input yet (${err.message})` };
        }
        const principal: TypeAndId = { type: qualify(stub.principalType), id: principalId };
        const action: TypeAndId = { type: qualify("Action"), id: call.tool };
        const resource: TypeAndId = { type: qualify(stub.resourceType), id: settings.server ?? DEFAULT_RESOURCE_ID };
        return { request: { principal, action, resource, context: { input }, entities } };
      },
    },
  };
}

/** The namespace and the @mcp_principal / @mcp_resource entity types of a schema stub. */
export function readStub(text: string): Stub | string {
  const parsed = cedar().schemaToJson(text);
  if (parsed.type === "failure") return `the schema stub does not parse: ${parsed.errors[0]?.message}`;
  const namespaces = Object.entries(parsed.json);
  if (namespaces.length !== 1) return "the schema stub must declare exactly one namespace";
  const [name, ns] = namespaces[0]!;
  const marked = (annotation: string) =>
    Object.entries(ns.entityTypes).find(([, t]) => t.annotations && annotation in t.annotations)?.[0];
  const principalType = marked("mcp_principal");
  const resourceType = marked("mcp_resource");
  if (!principalType || !resourceType) return "the schema stub must mark one entity type @mcp_principal and one @mcp_resource";
  return { namespace: name === "" ? null : name, principalType, resourceType };
}

/** val_to_cedar for the property types mcptape rebuilds. */
class Typer {
  constructor(
    private readonly qualify: (name: string) => string,
    private readonly options: GeneratorOptions,
    private readonly entities: EntityJson[],
    private readonly freshId: () => string,
  ) {}

  record(values: Record<string, unknown>, properties: unknown, ns: string): Record<string, CedarValueJson> {
    const out: Record<string, CedarValueJson> = {};
    for (const [k, v] of Object.entries(values)) out[k] = this.value(v, field(properties, k), ns, k);
    return out;
  }

  value(v: unknown, schema: unknown, ns: string, name: string): CedarValueJson {
    const type = field(schema, "type");
    // A type list: each member is that type, objects and arrays taking the rest of the schema.
    if (Array.isArray(type)) return this.union(v, type.map((t) => (typeof t === "string" ? { ...(schema as object), type: t } : t)), ns, name);
    const choices = field(schema, "anyOf") ?? field(schema, "oneOf");
    if (type === undefined && Array.isArray(choices)) return this.union(v, choices, ns, name);
    if (type === undefined && field(schema, "$ref") !== undefined) throw new Unsupported(`${name} is a $ref`);
    switch (type) {
      case "boolean":
      case "integer":
        return v as CedarValueJson;
      case "float":
        return this.options.numbersAsDecimal ? decimal4(v as number) : entity(this.qualify("Float"), rustDebug(v as number));
      case "number":
        return this.options.numbersAsDecimal ? decimal4(v as number) : entity(this.qualify("Number"), String(v));
      case "null":
        return entity(this.qualify("Null"), "null");
      case "string":
        return this.string(v as string, schema, ns, name);
      case "array":
        if (field(schema, "prefixItems") !== undefined) throw new Unsupported(`${name} is a tuple (prefixItems)`);
        return (v as unknown[]).map((item) => this.value(item, field(schema, "items"), ns, name));
      case "object":
        return this.object(v as Record<string, unknown>, schema, ns, name);
      case undefined:
        return entity(this.qualify("Unknown"), this.freshId());
      default:
        throw new Unsupported(`${name} has type ${JSON.stringify(type)}`);
    }
  }

  private string(v: string, schema: unknown, ns: string, name: string): CedarValueJson {
    if (field(schema, "enum") !== undefined) return entity(`${ns}::${name}`, v);
    const format = field(schema, "format");
    if (format === "decimal") return { __extn: { fn: "decimal", arg: v } };
    if (format === "date" || format === "date-time" || format === "duration" || format === "ipv4" || format === "ipv6") {
      throw new Unsupported(`${name} has format ${format}`);
    }
    return v;
  }

  private object(v: Record<string, unknown>, schema: unknown, ns: string, name: string): CedarValueJson {
    const inner = `${ns}::${name}`;
    const properties = field(schema, "properties") ?? {};
    const known = Object.fromEntries(Object.entries(v).filter(([k]) => Object.hasOwn(properties as object, k)));
    const rest = Object.fromEntries(Object.entries(v).filter(([k]) => !Object.hasOwn(properties as object, k)));
    const additional = field(schema, "additionalProperties");
    const attrs = this.record(known, properties, inner);
    const tagSchema = additional !== null && typeof additional === "object" ? additional : undefined;
    const tags: Record<string, CedarValueJson> = {};
    for (const [k, tv] of Object.entries(rest)) tags[k] = this.value(tv, tagSchema, inner, k);
    if (Object.keys(tags).length === 0 && this.options.objectsAsRecords) return attrs;
    const uid = { type: inner, id: this.freshId() };
    this.entities.push({ uid, attrs, parents: [], tags });
    return { __entity: uid };
  }

  private union(v: unknown, choices: unknown[], ns: string, name: string): CedarValueJson {
    const index = choices.findIndex((c) => fits(v, c));
    if (index < 0) throw new Unsupported(`${name} fits none of its union's types`);
    const sub = `${ns}::${name}`;
    return { [`typeChoice${index}`]: this.value(v, choices[index], sub, `TypeChoice${index}`) };
  }
}

/** Whether a value validates against a (simple) property type, as the SDK tries union members in order. */
function fits(v: unknown, schema: unknown): boolean {
  switch (field(schema, "type")) {
    case "boolean": return typeof v === "boolean";
    case "integer": return Number.isInteger(v);
    case "float":
    case "number": return typeof v === "number";
    case "string": return typeof v === "string";
    case "null": return v === null;
    case "array": return Array.isArray(v);
    case "object": return v !== null && typeof v === "object" && !Array.isArray(v);
    case undefined: return true;
    default: return false;
  }
}

function entity(type: string, id: string): CedarValueJson {
  return { __entity: { type, id } };
}

/** Rust's `format!("{:.4}", f)`. */
function decimal4(x: number): CedarValueJson {
  return { __extn: { fn: "decimal", arg: x.toFixed(4) } };
}

/** Rust's `{:?}` for an f64: whole numbers keep a `.0`. */
function rustDebug(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : String(x);
}
