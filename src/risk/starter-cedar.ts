/**
 * A starter Cedar policy for one gateway profile: every recorded tool listed under its risk
 * class, permitted or not as the class calls for, in the scope that profile's gateway matches
 * (docs/spec/dialect-cedar.md, "What each profile builds"). Cedar denies what no policy
 * permits, so a tool the server adds later stays refused until someone reviews it.
 * Cedar has no rate limit of its own and only Docker holds a call for approval, so those parts
 * of a class's advice are comments that say where they go.
 */
import { agentcoreActionId } from "../cedar/agentcore-action.js";
import type { CedarProfile } from "../cedar/types.js";
import { InputError } from "../errors.js";
import type { ToolInfo } from "../tape/tools.js";
import { RECOMMENDED_RATE, type RiskClass } from "./classes.js";
import { classSummary, oneLine, starterEntries, type StarterEntry } from "./starter.js";

/** What a profile's policies name: the scope of a policy for one tool, and how its arguments read. */
interface Scope {
  /** `principal, action == …, resource …` and, when the scope cannot name the tool, a `when` clause. */
  head(tool: string): { scope: string; when?: string };
  /** How a condition reads argument `x` (for the comments on Execute tools). */
  argument: string;
  /** Where a Write or Execute tool's rate limit goes on this gateway: the file's note on limits. */
  limits: string[];
  /** Whether a permit annotated `@requireApproval` holds the call for a human (Docker's). */
  approval: boolean;
  /** What the file's head says about the principal, when the scope names one. */
  principal?: string[];
}

/** What the profile's scope needs from the command line, beside the tools. */
export interface CedarStarterSettings {
  server?: string;
  target?: string;
  gatewayArn?: string;
  /** cedar-for-agents: the namespace of the schema stub (`--stub`), null for none. */
  namespace?: string | null;
}

/** A Cedar string literal: `"` and `\` escaped, control characters as `\u{…}`. */
export function cedarString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

function scopeOf(profile: CedarProfile, tools: readonly ToolInfo[], settings: CedarStarterSettings): Scope {
  switch (profile) {
    case "toolhive":
      return {
        head: (tool) => ({ scope: `principal, action == Action::"call_tool", resource == Tool::${cedarString(tool)}` }),
        argument: "context.arg_<name> (scalars only; ToolHive turns every number into a decimal)",
        limits: ["// Cedar has no rate limits: those advised below go in ToolHive's rate-limit config,", "// checked before Cedar (mcptape replay reads it with --limits FILE)."],
        approval: false,
      };
    case "agentcore": {
      const arn = settings.gatewayArn;
      const untargeted = tools.filter((t) => agentcoreActionId(t.name, settings.target) === undefined).map((t) => t.name);
      if (untargeted.length > 0) {
        throw new InputError(`--profile agentcore names each tool's action <target>___<tool>, and ${untargeted[0]} has no target`, undefined, "give the gateway target with --target NAME");
      }
      if (arn === undefined) {
        throw new InputError("--profile agentcore policies that name actions must name the gateway by its ARN (AWS refuses them otherwise)", undefined, "give it with --gateway-arn ARN");
      }
      return {
        head: (tool) => ({
          scope: `principal is AgentCore::OAuthUser, action == AgentCore::Action::${cedarString(agentcoreActionId(tool, settings.target)!)},\n       resource == AgentCore::Gateway::${cedarString(arn)}`,
        }),
        argument: "context.input.<name> (typed by the tool's inputSchema: integer is a Long, number a decimal)",
        limits: GATEWAY_LIMITS,
        approval: false,
        principal: [
          "// The callers are OAuth users (the token's sub). For a gateway with AWS_IAM authorization, write",
          "// principal is AgentCore::IamEntity instead: its id is the caller's ARN (principal.id like \"arn:aws:iam::<account>:*\").",
        ],
      };
    }
    case "docker":
      return {
        head: (tool) => ({
          scope: `principal, action == MCP::Action::"invokeTool", resource${settings.server !== undefined ? ` in MCP::Server::${cedarString(settings.server)}` : ""}`,
          when: `resource.name == ${cedarString(tool)}`,
        }),
        argument: "context.args.<name> (when the arguments are an object: test `context has args` first)",
        limits: ["// Cedar has no rate limits, and Docker's MCP policies none beside it: the limits advised", "// below are left to the server."],
        approval: true,
      };
    case "cedar-for-agents": {
      const ns = settings.namespace ? `${settings.namespace}::` : "";
      return {
        head: (tool) => ({ scope: `principal, action == ${ns}Action::${cedarString(tool)}, resource` }),
        argument: "context.input.<name> (typed by the tool's inputSchema)",
        limits: GATEWAY_LIMITS,
        approval: false,
      };
    }
  }
}

const GATEWAY_LIMITS = ["// Cedar has no rate limits: those advised below go in the gateway's own limits, outside Cedar."];

const HEADINGS: Record<RiskClass, (scope: Scope) => string> = {
  Read: () => "Read tools: permitted",
  Write: () => `Write tools: permitted; rate-limit them to ${RECOMMENDED_RATE.Write} calls a minute`,
  Execute: () => `Execute tools: permitted; rate-limit them to ${RECOMMENDED_RATE.Execute} calls a minute and check their arguments`,
  Destructive: (s) => (s.approval ? "Destructive tools: held for a human's approval (or forbid them)" : "Destructive tools: not permitted, so refused (this gateway cannot hold a call for approval)"),
  Financial: (s) => (s.approval ? "Financial tools: held for a human's approval (or cap the amount)" : "Financial tools: not permitted, so refused (permit them with a cap on the amount)"),
  Other: () => "Other tools: permitted for now; no class was recognised, review each",
};

/** One tool's policy (or, where its class is refused, the permit to uncomment). */
function toolBlock({ tool, classification }: StarterEntry, scope: Scope): string[] {
  const description = oneLine(tool.description);
  const lines = [`// ${tool.name}${description ? `: ${description}` : ""}`, `//   ${classification.class}: ${classification.reason}`];
  const { scope: head, when } = scope.head(tool.name);
  const permit = [`@id(${cedarString(tool.name)})`, ...`permit(${head})${when ? `\nwhen { ${when} }` : ""};`.split("\n")];
  switch (classification.class) {
    case "Destructive":
    case "Financial":
      if (scope.approval) {
        return [...lines, permit[0]!, `@requireApproval(${cedarString(`${tool.name} is ${classification.class.toLowerCase()}`)})`, ...permit.slice(1)];
      }
      return [...lines, "//   To allow it, uncomment:", ...permit.map((l) => `// ${l}`)];
    case "Execute":
      return [...lines, `//   Check its arguments too: a when clause on ${scope.argument}.`, ...permit];
    case "Other":
      return [...lines, "//   TODO: decide what it needs: a rate limit, a condition, or no permit", ...permit];
    default:
      return [...lines, ...permit];
  }
}

export function cedarStarter(tools: ToolInfo[], source: string, profile: CedarProfile, settings: CedarStarterSettings): string {
  const entries = starterEntries(tools);
  const scope = scopeOf(profile, entries.map((e) => e.tool), settings);
  const out = [
    `// Starter Cedar policy for the ${profile} gateway, written by mcptape init from ${oneLine(source, 200)}.`,
    `// ${classSummary(entries)}; each listed with its risk class and what its class calls for.`,
    "// Cedar refuses every call no policy permits, so a tool the server adds later stays refused",
    "// until someone reviews it and permits it.",
  ];
  if (scope.principal) out.push(...scope.principal);
  if (entries.some((e) => RECOMMENDED_RATE[e.classification.class] !== undefined)) {
    out.push(...scope.limits);
  }
  let current: RiskClass | undefined;
  for (const entry of entries) {
    if (entry.classification.class !== current) {
      current = entry.classification.class;
      out.push("", `// ── ${HEADINGS[current](scope)} ──`);
    }
    out.push("", ...toolBlock(entry, scope));
  }
  return out.join("\n") + "\n";
}
