/**
 * Cedar policies as a LoadedPolicy: Cedar text under a profile, or a ToolHive authz config
 * (`type: cedarv1`, decided under the toolhive profile). The engine (src/cedar/) parses,
 * places diagnostics and decides; this picks the profile and says what to write without one.
 */
import { parse as parseYaml } from "yaml";
import type { Diagnostic } from "../../errors.js";
import {
  CEDAR_PROFILES,
  isToolhiveConfig,
  loadCedar,
  loadToolhiveConfig,
  looksLikeCedar,
  type CedarProfile,
  type LoadedCedar,
  type ProfileSettings,
} from "../../cedar/index.js";
import type { PolicyLoad } from "../loaded.js";

/** What a Cedar policy needs beside its text: the gateway it is written for, and that gateway's settings. */
export interface CedarOptions {
  profile?: CedarProfile;
  settings: ProfileSettings;
}

/** One line per profile: which gateway builds the request, and what it looks like. */
export const PROFILE_MEANINGS: Record<CedarProfile, string> = {
  toolhive: "Stacklok ToolHive: Client::\"<sub>\" calls Action::\"call_tool\" on Tool::\"<tool>\", claims and arguments as claim_*/arg_* in the context; any evaluation error denies",
  agentcore: "AWS Bedrock AgentCore Gateway: AgentCore::OAuthUser calls AgentCore::Action::\"<target>___<tool>\" on AgentCore::Gateway::\"<arn>\", arguments in context.input",
  docker: "Docker Sandboxes organisation MCP policies: MCP::Action::\"invokeTool\" on MCP::Tool in MCP::Server, @requireApproval holds a call for a human",
  "cedar-for-agents": "cedar-policy/cedar-for-agents: the request its MCP schema generator builds from --stub, arguments typed by the tool's inputSchema",
};

/** Cedar text, or a ToolHive authz config (JSON or YAML). */
export function isCedarPolicy(text: string, file: string): boolean {
  return file.endsWith(".cedar") || looksLikeCedar(text) || isToolhiveConfigText(text);
}

export function loadCedarPolicy(text: string, file: string, options: CedarOptions): PolicyLoad {
  if (isToolhiveConfigText(text)) {
    if (options.profile !== undefined && options.profile !== "toolhive") {
      return failed(file, `a ToolHive authz config is decided under the toolhive profile, not ${options.profile}; leave out --profile or write --profile toolhive`);
    }
    return asPolicyLoad(loadToolhiveConfig(text, file, options.settings), file);
  }
  if (options.profile === undefined) {
    const list = CEDAR_PROFILES.map((p) => `  ${p}: ${PROFILE_MEANINGS[p]}`).join("\n");
    return failed(file, `a Cedar policy is decided as one gateway builds its request: name the gateway with --profile (a scenario: profile:), one of\n${list}`);
  }
  return asPolicyLoad(loadCedar(text, file, options.profile, options.settings), file);
}

function asPolicyLoad({ engine, diagnostics }: LoadedCedar, file: string): PolicyLoad {
  return { policy: engine ? { engine: "cedar", file, cedar: engine } : null, diagnostics };
}

function failed(file: string, message: string): PolicyLoad {
  const d: Diagnostic = { file, line: 1, col: 1, severity: "error", message };
  return { policy: null, diagnostics: [d] };
}

function isToolhiveConfigText(text: string): boolean {
  if (!/cedarv1/.test(text)) return false;
  try {
    return isToolhiveConfig(parseYaml(text, { logLevel: "silent" }));
  } catch {
    return false;
  }
}
