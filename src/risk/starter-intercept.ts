/**
 * A starter Intercept policy: `default: deny` with every recorded tool listed (so a tool the
 * server adds later is refused until someone reviews it), each under its risk class with the
 * rule the class calls for, and the alternatives as comments.
 */
import type { ToolInfo } from "../tape/tools.js";
import { VERSION } from "../version.js";
import { amountExample, executeExample } from "./arguments.js";
import { RECOMMENDED_RATE, type RiskClass } from "./classes.js";
import { classSummary, oneLine, starterEntries, type StarterEntry } from "./starter.js";

const HEADINGS: Record<RiskClass, string> = {
  Read: "Read tools: allowed",
  Write: `Write tools: rate-limited to ${RECOMMENDED_RATE.Write} calls a minute`,
  Execute: `Execute tools: rate-limited to ${RECOMMENDED_RATE.Execute} calls a minute; check their arguments too`,
  Destructive: "Destructive tools: held for a human's approval (or deny them)",
  Financial: "Financial tools: held for approval (or cap the amount)",
  Other: "Other tools: allowed for now; no class was recognised, review each",
};

const YAML_WORDS = new Set(["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]);

/** A tool name as a YAML key: plain when that reads back as the same string, else quoted. */
export function yamlKey(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && !YAML_WORDS.has(name.toLowerCase()) ? name : JSON.stringify(name);
}

const q = (s: string) => JSON.stringify(s);
const yamlValue = (v: string | number) => (typeof v === "string" ? q(v) : String(v));

/**
 * Intercept finds a counter by splitting `state.<tool>.<counter>` on dots, so a rate limit on a
 * tool whose name has a dot never validates there. Such a tool gets a comment instead.
 */
const UNCOUNTABLE = [
  "    # Intercept cannot rate-limit a tool whose name has a dot (it splits counter paths on",
  "    # dots); the \"*\" limit at the end of the file covers it with every other tool.",
  "    rules: []",
];

function rules(cls: RiskClass, tool: ToolInfo): string[] {
  const n = tool.name;
  if ((cls === "Write" || cls === "Execute") && n.includes(".")) return UNCOUNTABLE;
  switch (cls) {
    case "Write":
      return ["    rules:", `      - name: ${q(`${n} rate limit`)}`, `        rate_limit: ${RECOMMENDED_RATE.Write}/minute`];
    case "Execute": {
      const ex = executeExample(tool);
      return [
        "    rules:",
        `      - name: ${q(`${n} rate limit`)}`,
        `        rate_limit: ${RECOMMENDED_RATE.Execute}/minute`,
        `      # Check its arguments too, for example ${ex.says}:`,
        `      # - name: ${q(`${n} allowed arguments`)}`,
        "      #   conditions:",
        `      #     - path: ${ex.path}`,
        `      #       op: ${ex.op}`,
        `      #       value: ${yamlValue(ex.value)}`,
        `      #   on_deny: ${q(`${n}: ${ex.says}`)}`,
      ];
    }
    case "Destructive":
      return [
        "    rules:",
        `      - name: ${q(`${n} needs approval`)}`,
        "        action: require_approval",
        "      # Or refuse it outright (in place of the rule above):",
        `      # - name: ${q(`${n} denied`)}`,
        "      #   action: deny",
        `      #   on_deny: ${q(`${n} is not permitted`)}`,
      ];
    case "Financial": {
      const ex = amountExample(tool);
      return [
        "    rules:",
        `      - name: ${q(`${n} needs approval`)}`,
        "        action: require_approval",
        `        # To hold only ${ex.says}, add:`,
        "        # conditions:",
        `        #   - path: ${ex.path}`,
        `        #     op: ${ex.op}`,
        `        #     value: ${yamlValue(ex.value)}`,
      ];
    }
    default:
      return ["    rules: []"];
  }
}

function toolBlock({ tool, classification }: StarterEntry): string[] {
  const description = oneLine(tool.description);
  const lines = [`  # ${tool.name}${description ? `: ${description}` : ""}`, `  #   ${classification.class}: ${classification.reason}`];
  if (classification.class === "Other") lines.push("  #   TODO: decide what it needs: a rate limit, approval, or deny");
  return [...lines, `  ${yamlKey(tool.name)}:`, ...rules(classification.class, tool)];
}

/**
 * The JSON Schema editors check the starter against (yaml-language-server reads the first-line
 * comment). The package's own copy on the npm CDN, pinned to this version so the schema matches
 * the loader that wrote the file, and the same for every clone of the policy's repository
 * (a path into node_modules would depend on where each person installed mcptape).
 */
export const INTERCEPT_SCHEMA_URL = `https://cdn.jsdelivr.net/npm/mcptape@${VERSION}/schemas/intercept-policy.schema.json`;

export function interceptStarter(tools: ToolInfo[], source: string): string {
  const entries = starterEntries(tools);
  const out = [
    `# yaml-language-server: $schema=${INTERCEPT_SCHEMA_URL}`,
    `# Starter policy written by mcptape init from ${oneLine(source, 200)}.`,
    `# ${classSummary(entries)}; each listed with its risk class and the rule its class calls for.`,
    "# default: deny refuses every tool not listed here, so a tool the server adds later stays",
    "# blocked until someone reviews it and lists it.",
    "# action: require_approval needs an Intercept with approvals (after 2026-03-31); on an older",
    "# one, use the deny alternative given next to it.",
    'version: "1"',
    `description: ${q(`Starter policy for the tools recorded in ${oneLine(source, 200)}`)}`,
    "default: deny",
  ];
  if (entries.length === 0) return [...out, "tools: {}", ""].join("\n");
  out.push("tools:");
  let current: RiskClass | undefined;
  for (const entry of entries) {
    if (entry.classification.class !== current) {
      current = entry.classification.class;
      out.push(`  # ── ${HEADINGS[current]} ──`);
    }
    out.push(...toolBlock(entry));
  }
  out.push(
    "",
    "  # Uncomment to limit all listed tools together as well:",
    '  # "*":',
    "  #   rules:",
    '  #     - name: "global rate limit"',
    "  #       rate_limit: 60/minute",
  );
  return out.join("\n") + "\n";
}
