/**
 * The `policylayer` dialect: PolicyLayer gateway JSON, parsed with positions, checked, and
 * compiled into the model. What is our reading of the unpublished parts (condition shape,
 * rule ids, limit fields, order, approval, grants, messages) lives in policylayer-reading.ts.
 */
import { InputError } from "../../errors.js";
import { DiagnosticSink, diagnosticOf } from "../diagnostics.js";
import type { ModelLoad } from "../loaded.js";
import type { Condition, Policy, Rule, ToolPolicy } from "../model.js";
import { nearest } from "../../suggest.js";
import { describeNode, type YamlSource, type YMap, type YNode } from "../../yaml-source.js";
import { compileCondition } from "./conditions.js";
import { field } from "./fields.js";
import { parseJsonSource } from "./json-source.js";
import * as reading from "./policylayer-reading.js";

const CONDITION_EXAMPLE = '{"path": "args.amount", "op": "gt", "value": 100}';
const LIMIT_EXAMPLE = '{"counter": "calls_per_minute", "window": "minute", "max": 30, "scope": "grant"}';

export function loadPolicyLayer(text: string, file: string): ModelLoad {
  let source: YamlSource;
  try {
    source = parseJsonSource(text, file);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { policy: null, diagnostics: [diagnosticOf(err, file)] };
  }
  const sink = new DiagnosticSink(file);
  const policy = compilePolicyLayer(source, sink);
  return { policy: sink.hasErrors() ? null : policy, diagnostics: sink.sorted() };
}

/** Compiles a parsed PolicyLayer document; every problem goes to `sink`. */
export function compilePolicyLayer(src: YamlSource, sink: DiagnosticSink): Policy {
  const c = new Compiler(src.file, sink);
  return c.policy(src.root);
}

class Compiler {
  constructor(
    private readonly file: string,
    private readonly sink: DiagnosticSink,
  ) {}

  policy(root: YNode | null): Policy {
    const { sink } = this;
    let top: YMap = { kind: "map", entries: [], at: { line: 1, col: 1 } };
    if (root?.kind === "map") top = root;
    else sink.error(root?.at ?? top.at, `a PolicyLayer policy must be a JSON object with "version", "default" and "tools", not ${root ? describeNode(root) : "an empty file"}`);
    this.checkKeys(top, reading.TOP_KEYS, "the policy");

    const version = field(top, "version");
    if (!version) sink.error(top.at, 'the policy has no "version"; add "version": "1"');
    else if (!(isString(version.value) && version.value.value === "1")) {
      const quote = version.value.kind === "scalar" && version.value.text === "1" ? ' (a string, in quotes)' : "";
      sink.error(version.value.at, `"version" must be "1"${quote}, got ${describeNode(version.value)}; write "version": "1"`);
    }
    const defaultEntry = field(top, "default");
    let defaultAction: Policy["defaultAction"] = "deny";
    if (!defaultEntry) sink.error(top.at, 'the policy has no "default"; add "default": "deny" (or "allow")');
    else if (isString(defaultEntry.value) && (defaultEntry.value.value === "allow" || defaultEntry.value.value === "deny")) {
      defaultAction = defaultEntry.value.value;
    } else {
      sink.error(defaultEntry.value.at, `"default" must be "allow" or "deny", got ${describeNode(defaultEntry.value)}`);
    }

    const hide = this.names(field(top, "hide")?.value, "hide", '"hide": ["delete_account"]');
    const grantNames = this.names(field(top, "grants")?.value, "grants", '"grants": ["alice-laptop"]');
    const grantsEntry = field(top, "grants");
    if (grantsEntry && grantNames.length === 0 && grantsEntry.value.kind === "seq") {
      sink.warning(grantsEntry.value.at, '"grants" is empty, so no identity has this policy and every call is denied with (no policy); list the grants, or remove "grants" to apply the policy to every caller');
    }

    const tools = new Map<string, ToolPolicy>();
    const toolsNode = field(top, "tools")?.value;
    const toolsMap = this.object(toolsNode, '"tools"', '"tools": {"create_case": {}}');
    for (const entry of toolsMap?.entries ?? []) {
      const name = entry.keyText;
      const where = `/tools/${reading.pointerToken(name)}`;
      if (name === "") sink.error(entry.key.at, "a tool name must not be empty");
      const rules = this.tool(entry.value, name, where);
      tools.set(name, { rules, pos: { file: this.file, ...entry.key.at } });
      if (hide.includes(name) && rules.length > 0) {
        sink.warning(entry.key.at, `tool "${name}" is in "hide", so its rules never decide a call (a hidden tool is always denied); remove it from "hide" or drop its rules`);
      }
    }

    const wildcard = this.allTools(field(top, "all_tools")?.value);
    const allToolsEntry = field(top, "all_tools");
    if (allToolsEntry && wildcard.length > 0 && defaultAction === "deny" && tools.size === 0) {
      sink.warning(allToolsEntry.key.at, '"default": "deny" with no tool listed denies every call before "all_tools" limits count it; list the allowed tools under "tools"');
    }

    const policy: Policy = {
      dialect: "policylayer",
      file: this.file,
      defaultAction,
      hide: new Set(hide),
      tools,
      wildcard,
      messages: reading.policyMessages,
    };
    if (grantsEntry) policy.grants = new Set(grantNames);
    return policy;
  }

  /** A tool entry's rules, in the order of `reading.toolRuleOrder`. */
  private tool(node: YNode, tool: string, where: string): Rule[] {
    const map = this.object(node, where, '{} (allowed), or {"limits": [...]}');
    if (!map) {
      if (node.kind === "scalar" && node.value === null) this.sink.error(node.at, `${where} is null; write {} to allow the tool`);
      return [];
    }
    this.checkKeys(map, reading.TOOL_KEYS, where);
    const rules: Rule[] = [];
    for (const part of reading.toolRuleOrder) {
      if (part === "deny_if" || part === "require") rules.push(...this.conditions(map, tool, part, where));
      else if (part === "require_approval") rules.push(...this.approval(map, tool, where));
      else rules.push(...this.limits(field(map, "limits")?.value, tool, where));
    }
    return rules;
  }

  private conditions(map: YMap, tool: string, list: reading.ConditionList, where: string): Rule[] {
    const seq = this.list(field(map, list)?.value, `${where}/${list}`, `"${list}": [${CONDITION_EXAMPLE}]`);
    const rules: Rule[] = [];
    const ids = new Map<string, number>();
    seq?.items.forEach((item, i) => {
      const itemWhere = `${where}/${list}/${i}`;
      const cond = this.condition(item, itemWhere);
      if (!cond) return;
      const id = reading.conditionRuleId(tool, list, cond.path, cond.op);
      const earlier = ids.get(id);
      if (earlier !== undefined) {
        this.sink.warning(item.at, `${itemWhere} has the same path and op as ${where}/${list}/${earlier}, so both report the rule id ${id}; merge them if you can`);
      } else ids.set(id, i);
      const deny = list === "deny_if";
      rules.push({
        id,
        action: deny ? "deny" : "evaluate",
        conditions: [cond],
        denyMessage: deny ? reading.messages.denyIf(id) : reading.messages.require(id),
        limitMessage: "",
        pos: { file: this.file, ...item.at },
      });
    });
    return rules;
  }

  /** One `{path, op, value}` item: shape here, operator and value checks shared with Intercept. */
  private condition(item: YNode, where: string): Condition | null {
    if (item.kind !== "map") {
      this.sink.error(item.at, `${where} must be an object, not ${describeNode(item)}; write ${CONDITION_EXAMPLE}`);
      return null;
    }
    this.checkKeys(item, reading.CONDITION_KEYS, where);
    for (const key of ["path", "op"] as const) {
      const entry = field(item, key);
      if (entry === undefined) this.sink.error(item.at, `${where} has no "${key}"; write ${CONDITION_EXAMPLE}`);
      else if (!isString(entry.value)) this.sink.error(entry.value.at, `${where}: "${key}" must be a string, not ${describeNode(entry.value)}`);
    }
    const path = field(item, "path")?.value;
    if (!isString(path) || !isString(field(item, "op")?.value)) return null;
    if (!path.value.startsWith(reading.CONDITION_PATH_PREFIX)) {
      this.sink.error(path.at, `${where}: path must start with "${reading.CONDITION_PATH_PREFIX}", got "${path.value}"; write args.<argument> (quotas are "limits", not conditions)`);
      return null;
    }
    // Unknown keys were warned about above in PolicyLayer's words; the shared checks see the rest.
    const known: YMap = { ...item, entries: item.entries.filter((e) => (reading.CONDITION_KEYS as readonly string[]).includes(e.keyText)) };
    return compileCondition(known, where, this.sink);
  }

  private approval(map: YMap, tool: string, where: string): Rule[] {
    const entry = field(map, "require_approval");
    if (!entry) return [];
    if (!(entry.value.kind === "scalar" && typeof entry.value.value === "boolean")) {
      this.sink.error(entry.value.at, `${where}/require_approval must be true or false, not ${describeNode(entry.value)}`);
      return [];
    }
    if (!entry.value.value) return [];
    const id = reading.approvalRuleId(tool);
    return [{
      id, action: "require_approval", conditions: [],
      denyMessage: reading.messages.approval(id), limitMessage: "", pos: { file: this.file, ...entry.key.at },
    }];
  }

  private allTools(node: YNode | undefined): Rule[] {
    const map = this.object(node, "/all_tools", '"all_tools": {"limits": [...]}');
    if (!map) return [];
    for (const e of map.entries) {
      if ((reading.TOOL_KEYS as readonly string[]).includes(e.keyText) && e.keyText !== "limits") {
        this.sink.error(e.key.at, `/all_tools/${e.keyText}: "all_tools" takes only "limits" (in our reading of PolicyLayer); put "${e.keyText}" under each tool in "tools"`);
      }
    }
    const unknown: YMap = { ...map, entries: map.entries.filter((e) => !(reading.TOOL_KEYS as readonly string[]).includes(e.keyText)) };
    this.checkKeys(unknown, reading.ALL_TOOLS_KEYS, "/all_tools");
    return this.limits(field(map, "limits")?.value, undefined, "/all_tools");
  }

  /** `tool` undefined: the `all_tools` limits. */
  private limits(node: YNode | undefined, tool: string | undefined, where: string): Rule[] {
    const seq = this.list(node, `${where}/limits`, `"limits": [${LIMIT_EXAMPLE}]`);
    const rules: Rule[] = [];
    const seen = new Map<string, number>();
    seq?.items.forEach((item, i) => {
      const itemWhere = `${where}/limits/${i}`;
      if (item.kind !== "map") {
        this.sink.error(item.at, `${itemWhere} must be an object, not ${describeNode(item)}; write ${LIMIT_EXAMPLE}`);
        return;
      }
      this.checkKeys(item, reading.LIMIT_KEYS, itemWhere);
      const counter = this.requiredString(item, "counter", itemWhere);
      if (counter !== undefined && counter !== "") {
        const earlier = seen.get(counter);
        if (earlier !== undefined) this.sink.error(field(item, "counter")!.value.at, `${itemWhere}: counter "${counter}" is also used by ${where}/limits/${earlier}; give each limit its own counter`);
        else seen.set(counter, i);
      } else if (counter === "") this.sink.error(field(item, "counter")!.value.at, `${itemWhere}: counter must not be empty; write e.g. "counter": "calls_per_minute"`);
      const window = this.oneOf(item, "window", reading.WINDOWS, itemWhere, true);
      const scope = this.oneOf(item, "scope", reading.SCOPES, itemWhere, false) ?? reading.DEFAULT_SCOPE;
      const max = this.max(item, itemWhere);
      if (counter === undefined || counter === "" || window === undefined || max === undefined) return;
      const id = reading.limitRuleId(tool, counter);
      const message = reading.messages.limit(max, window);
      rules.push({
        id, action: "evaluate", conditions: [], denyMessage: message, limitMessage: message,
        counter: {
          scope: tool ?? reading.ALL_TOOLS_SCOPE, counter, window: { kind: "calendar", unit: window },
          keying: reading.keyingOf(scope), increment: 1, limit: max,
        },
        pos: { file: this.file, ...item.at },
      });
    });
    return rules;
  }

  private requiredString(map: YMap, key: string, where: string): string | undefined {
    const entry = field(map, key);
    if (!entry) {
      this.sink.error(map.at, `${where} has no "${key}"; write ${LIMIT_EXAMPLE}`);
      return undefined;
    }
    if (!isString(entry.value)) {
      this.sink.error(entry.value.at, `${where}: "${key}" must be a string, not ${describeNode(entry.value)}`);
      return undefined;
    }
    return entry.value.value;
  }

  private oneOf<T extends string>(map: YMap, key: string, allowed: readonly T[], where: string, required: boolean): T | undefined {
    const entry = field(map, key);
    if (!entry) {
      if (required) this.sink.error(map.at, `${where} has no "${key}"; write "${key}": "${allowed[0]}" (one of ${allowed.join(", ")})`);
      return undefined;
    }
    const v = entry.value;
    if (isString(v) && (allowed as readonly string[]).includes(v.value)) return v.value as T;
    const guess = isString(v) ? nearest(v.value, allowed) : null;
    this.sink.error(v.at, `${where}: "${key}" must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${describeNode(v)}${guess ? `; did you mean "${guess}"?` : ""}`);
    return undefined;
  }

  private max(map: YMap, where: string): number | undefined {
    const entry = field(map, "max");
    if (!entry) {
      this.sink.error(map.at, `${where} has no "max"; write "max": 30 (calls allowed in a window)`);
      return undefined;
    }
    const v = entry.value;
    const whole = v.kind === "scalar" && typeof v.value === "number" && /^[0-9]+$/.test(v.text);
    if (whole && (v.value as number) > 0 && (v.value as number) <= Number.MAX_SAFE_INTEGER) return v.value as number;
    const hint = isString(v) && /^[0-9]+$/.test(v.value) ? `write ${v.value} without quotes` : "write a whole number of calls like 30";
    this.sink.error(v.at, `${where}: "max" must be a positive whole number, got ${describeNode(v)}; ${hint}`);
    return undefined;
  }

  /** Names in a list of non-empty strings (`hide`, `grants`); duplicates warned. */
  private names(node: YNode | undefined, key: string, example: string): string[] {
    const seq = this.list(node, `"${key}"`, example);
    const out: string[] = [];
    seq?.items.forEach((item, i) => {
      if (!isString(item) || item.value === "") {
        this.sink.error(item.at, `/${key}/${i} must be a non-empty string, not ${describeNode(item)}`);
      } else if (out.includes(item.value)) {
        this.sink.warning(item.at, `/${key}/${i}: "${item.value}" is listed twice; remove one`);
      } else out.push(item.value);
    });
    return out;
  }

  private object(node: YNode | undefined, what: string, example: string): YMap | null {
    if (node === undefined) return null;
    if (node.kind === "map") return node;
    if (!(node.kind === "scalar" && node.value === null)) this.sink.error(node.at, `${what} must be an object, not ${describeNode(node)}; write ${example}`);
    return null;
  }

  private list(node: YNode | undefined, what: string, example: string): Extract<YNode, { kind: "seq" }> | null {
    if (node === undefined || (node.kind === "scalar" && node.value === null)) return null;
    if (node.kind === "seq") return node;
    this.sink.error(node.at, `${what} must be a list, not ${describeNode(node)}; write ${example}`);
    return null;
  }

  private checkKeys(map: YMap, known: readonly string[], where: string): void {
    for (const e of map.entries) {
      if (!known.includes(e.keyText)) this.sink.warning(e.key.at, reading.unknownKeyNote(e.keyText, where, nearest(e.keyText, known), known));
    }
  }
}

function isString(node: YNode | undefined): node is Extract<YNode, { kind: "scalar" }> & { value: string } {
  return node?.kind === "scalar" && typeof node.value === "string";
}
