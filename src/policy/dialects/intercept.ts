/**
 * The `intercept` dialect: Intercept YAML (and the catalogue form) compiled into the model,
 * with every error Intercept's validate.go reports, each at its node's line and column.
 */
import type { DiagnosticSink } from "../diagnostics.js";
import { goFloat, goInt64OfFloat, goQuote } from "../gofmt.js";
import type { CounterSpec, Policy, Rule, ToolPolicy } from "../model.js";
import { describeNode, type YMap, type YamlSource, type Where } from "../../yaml-source.js";
import { compileCatalogueRule, isCatalogueRule } from "./catalog.js";
import { scopeOf, type DraftRule } from "./draft.js";
import { asMap, asSeq, asString, checkKeys, field } from "./fields.js";
import { compileInterceptRule } from "./intercept-rule.js";

const TOP_KEYS = ["version", "description", "default", "hide", "tools", "approvals"] as const;
const TOOL_KEYS = ["rules"] as const;

/** What the lint pass needs besides the drafts. */
export interface InterceptFile {
  defaultAction: "allow" | "deny";
  hide: { name: string; at: Where }[];
  /** Tool keys in file order, with where each is written. */
  tools: { name: string; at: Where; rules: DraftRule[] }[];
}

export interface CompiledIntercept {
  policy: Policy;
  file: InterceptFile;
}

export function compileIntercept(src: YamlSource, sink: DiagnosticSink): CompiledIntercept {
  const root = src.root;
  let top: YMap = { kind: "map", entries: [], at: { line: 1, col: 1 } };
  if (root && root.kind === "map") top = root;
  else if (root && !(root.kind === "scalar" && root.value === null)) {
    sink.error(root.at, `a policy must be a mapping with version, default and tools, not ${describeNode(root)}`);
  }
  checkKeys(top, TOP_KEYS, "the policy", sink);

  const toolsNode = field(top, "tools")?.value;
  const catalogue = toolsNode?.kind === "map" && usesCatalogueForm(toolsNode);
  const versionEntry = field(top, "version");
  const version = asString(versionEntry?.value, "`version`", sink);
  // The seed pages show the catalogue form without a version; its warnings already say Intercept refuses it.
  const versionMissingInCatalogue = catalogue && versionEntry === undefined;
  if (version !== undefined && version !== "1" && !versionMissingInCatalogue) {
    sink.error(versionEntry?.value.at ?? top.at, `version must be "1", got "${version}"; write version: "1"`);
  }
  asString(field(top, "description")?.value, "`description`", sink);
  const defaultEntry = field(top, "default");
  const defaultText = asString(defaultEntry?.value, "`default`", sink) || "allow";
  if (defaultText !== "allow" && defaultText !== "deny") {
    sink.error(defaultEntry?.value.at ?? top.at, `default must be "allow" or "deny", got "${defaultText}"`);
  }
  const hide = readHide(top, sink);
  checkApprovals(top, sink);

  const tools: InterceptFile["tools"] = [];
  const toolsMap = asMap(toolsNode, "`tools`", sink, "`tools: {create_issue: {rules: []}}`");
  if (toolsMap) {
    for (const entry of toolsMap.entries) {
      // yaml.v3 cannot read a null key into the map's string key, and then skips the entry
      // without reading its value (decode.go, mapping): the tool and its rules are gone, unchecked.
      if (entry.key.kind === "scalar" && entry.key.value === null) {
        sink.warning(entry.key.at, "a tool name that is null (`~`, `null` or nothing): Intercept drops this entry and every rule under it without checking them; write the tool's name");
        continue;
      }
      const name = entry.keyText;
      if (entry.key.kind !== "scalar") sink.error(entry.key.at, "a tool name must be a plain string");
      tools.push({ name, at: entry.key.at, rules: compileTool(entry.value, name, catalogue, sink) });
    }
  }

  const file: InterceptFile = { defaultAction: defaultText === "deny" ? "deny" : "allow", hide, tools };
  checkCounters(tools, sink);
  return { policy: toModel(src.file, file), file };
}

function readHide(top: YMap, sink: DiagnosticSink): InterceptFile["hide"] {
  const seq = asSeq(field(top, "hide")?.value, "`hide`", sink, '`hide: [delete_repo]` (or ["*"] to hide every tool)');
  const out: InterceptFile["hide"] = [];
  const seen = new Set<string>();
  seq?.items.forEach((item, i) => {
    const name = asString(item, `hide[${i}]`, sink);
    if (name === undefined) return;
    if (name.trim() === "") sink.error(item.at, `hide[${i}]: entry must not be empty; write a tool name or "*"`);
    else if (seen.has(name)) sink.error(item.at, `hide: duplicate entry "${name}"; remove one`);
    else {
      seen.add(name);
      out.push({ name, at: item.at });
    }
  });
  return out;
}

/** PR #3's top-level `approvals: {dedupe_window, notify: {webhook: {url}}}`: shape only. */
function checkApprovals(top: YMap, sink: DiagnosticSink): void {
  const approvals = asMap(field(top, "approvals")?.value, "`approvals`", sink, '`approvals: {dedupe_window: "10m"}`');
  if (!approvals) return;
  checkKeys(approvals, ["dedupe_window", "notify"], "`approvals`", sink);
  asString(field(approvals, "dedupe_window")?.value, "`approvals.dedupe_window`", sink);
  const notify = asMap(field(approvals, "notify")?.value, "`approvals.notify`", sink, "`notify: {webhook: {url: https://...}}`");
  if (!notify) return;
  checkKeys(notify, ["webhook"], "`approvals.notify`", sink);
  const webhook = asMap(field(notify, "webhook")?.value, "`approvals.notify.webhook`", sink, "`webhook: {url: https://...}`");
  if (!webhook) return;
  checkKeys(webhook, ["url"], "`approvals.notify.webhook`", sink);
  asString(field(webhook, "url")?.value, "`approvals.notify.webhook.url`", sink);
}

/** The catalogue form is a property of the file: one catalogue rule makes unnamed rules legal. */
function usesCatalogueForm(tools: YMap): boolean {
  return tools.entries.some((t) => {
    const rules = t.value.kind === "map" ? field(t.value, "rules")?.value : undefined;
    return rules?.kind === "seq" && rules.items.some(isCatalogueRule);
  });
}

function compileTool(node: YMap["entries"][number]["value"], tool: string, catalogue: boolean, sink: DiagnosticSink): DraftRule[] {
  // `tool:` with nothing after it lists the tool with no rules, as Go's zero value does.
  const def = asMap(node, `tools.${tool}`, sink, "`{rules: []}`");
  if (!def) return [];
  checkKeys(def, TOOL_KEYS, `tools.${tool}`, sink);
  const rules = asSeq(field(def, "rules")?.value, `tools.${tool}.rules`, sink, "`rules: [{name: ..., rate_limit: 10/minute}]`");
  if (!rules) return [];
  const out: DraftRule[] = [];
  const counters = new Set<string>();
  rules.items.forEach((item, index) => {
    const where = `tools.${tool}.rules[${index}]`;
    const map = asMap(item, `rule ${where}`, sink, "`{name: ..., action: deny}`");
    if (!map) {
      if (item.kind === "scalar" && item.value === null) sink.error(item.at, `rule ${where} is empty; write {name: ..., action: deny} or remove the dash`);
      return;
    }
    const draft = catalogue && (isCatalogueRule(map) || field(map, "name") === undefined)
      ? compileCatalogueRule(map, { tool, index, sink, counters })
      : compileInterceptRule(map, { tool, index, sink });
    if (draft) out.push(draft);
  });
  return out;
}

/** Duplicate counters in a tool, `state.` conditions naming no counter, and counter limits. */
function checkCounters(tools: InterceptFile["tools"], sink: DiagnosticSink): void {
  const byTool = new Map<string, DraftRule[]>();
  for (const t of tools) byTool.set(t.name, t.rules);
  for (const t of tools) {
    const seen = new Map<string, DraftRule>();
    for (const rule of t.rules) {
      if (!rule.state || rule.catalogue) continue;
      const prev = seen.get(rule.state.counter);
      if (prev) {
        const shorthand = rule.state.counter.startsWith("_rate_") ? ` (rate_limit: N/${rule.state.counter.slice(6)} uses counter ${rule.state.counter})` : "";
        sink.error(rule.state.counterAt, `${rule.where}: duplicate state counter "${rule.state.counter}" (also used by rules[${prev.index}])${shorthand}; give each rule its own counter`);
      } else seen.set(rule.state.counter, rule);
    }
  }
  for (const t of tools) {
    for (const rule of t.rules) {
      if (rule.catalogue) continue;
      for (const cond of rule.conditions) {
        if (!cond.path.startsWith("state.")) continue;
        const [, stateTool, counter] = splitN(cond.path, 3);
        if (stateTool === undefined || counter === undefined) continue;
        const owner = byTool.get(stateTool) ?? (stateTool === "_global" ? byTool.get("*") : undefined);
        if (!owner?.some((r) => r.state?.counter === counter)) {
          const home = stateTool === "_global" ? '"*"' : stateTool;
          sink.error(
            { line: cond.pos?.line ?? rule.at.line, col: cond.pos?.col ?? rule.at.col },
            `${rule.where}: condition references state.${stateTool}.${counter} but no matching state block found; add a rule under tools.${home} with state: {counter: ${counter}, window: hour}`,
          );
        }
      }
    }
  }
}

/** Go's strings.SplitN. */
function splitN(s: string, n: number): string[] {
  const parts = s.split(".");
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(".")];
}

/**
 * Intercept's extractLimit: the first lt/lte on this rule's own counter path; `lt N` is N-1.
 * Go computes `int64(float64 value)` (so `lte 1e30` is -2^63 on amd64), and `- 1` wraps in int64.
 */
export function counterLimit(rule: DraftRule, scope = scopeOf(rule.tool)): number | undefined {
  if (!rule.state) return undefined;
  const path = `state.${scope}.${rule.state.counter}`;
  for (const c of rule.conditions) {
    const bound = goFloat(c.value);
    if (c.path !== path || bound === undefined) continue;
    const whole = goInt64OfFloat(bound);
    if (c.op === "lt") return Number(BigInt.asIntN(64, whole - 1n));
    if (c.op === "lte") return Number(whole);
  }
  return undefined;
}

function toModel(file: string, f: InterceptFile): Policy {
  const tools = new Map<string, ToolPolicy>();
  let wildcard: Rule[] = [];
  let starTool: Policy["starTool"];
  for (const t of f.tools) {
    const rules = t.rules.map(toRule);
    if (t.name === "*") {
      wildcard = rules;
      // A call of the tool named `*` (internal/proxy/handler.go, collectStatefulRules at 77f0429).
      starTool = { counters: rules.flatMap((r, i) => (r.counter ? [starScoped(r.counter, t.rules[i]!)] : [])) };
    } else tools.set(t.name, { rules, pos: { file, ...t.at } });
  }
  return {
    dialect: "intercept",
    file,
    defaultAction: f.defaultAction,
    hide: new Set(f.hide.map((h) => h.name)),
    tools,
    wildcard,
    ...(starTool ? { starTool } : {}),
    messages: {
      hidden: (tool) => `Tool ${goQuote(tool)} is hidden by policy`,
      defaultDeny: (tool) => `Tool ${goQuote(tool)} is not permitted by policy`,
      noPolicy: (tool) => `Tool ${goQuote(tool)} is not permitted by policy`,
      internalError: "Internal policy error",
    },
  };

  function starScoped(spec: CounterSpec, d: DraftRule): CounterSpec {
    const scoped: CounterSpec = { ...spec, scope: "*" };
    delete scoped.limit;
    const limit = counterLimit(d, "*");
    if (limit !== undefined) scoped.limit = limit;
    return scoped;
  }

  function toRule(d: DraftRule): Rule {
    const rule: Rule = {
      id: d.id, action: d.action, conditions: d.conditions,
      denyMessage: d.denyMessage, limitMessage: d.limitMessage, pos: { file, ...d.at },
    };
    if (d.state) {
      const counter: CounterSpec = {
        scope: scopeOf(d.tool), counter: d.state.counter, window: d.state.window,
        keying: d.state.keying, increment: d.state.increment,
      };
      if (d.state.incrementFrom) counter.incrementFrom = { path: d.state.incrementFrom, segments: d.state.incrementFrom.split(".") };
      const limit = counterLimit(d);
      if (limit !== undefined) counter.limit = limit;
      rule.counter = counter;
    }
    return rule;
  }
}
