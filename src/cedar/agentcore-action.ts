/**
 * How an AgentCore gateway names a tool's action (agentcore.ts): one rule for the profile's
 * requests, validate's review and fuzz, without the profile's own imports.
 */

/**
 * The action id an AgentCore gateway names a tool by: the recorded name when it already holds
 * `___`, else `<target>___<tool>`; undefined with no target, as no gateway sends a bare name.
 */
export function agentcoreActionId(tool: string, target: string | undefined): string | undefined {
  if (tool.includes("___")) return tool;
  return target ? `${target}___${tool}` : undefined;
}

/**
 * The gateway target of a tool's action id (`<target>___<tool>`): AWS's policy-scope page calls a
 * gateway target an action group, so `action in AgentCore::Action::"<target>"` holds for its tools.
 * Undefined without one, or when it is named like the `CallTool` or `Mcp` group the action is in anyway.
 */
export function agentcoreTargetOf(actionId: string): string | undefined {
  const at = actionId.indexOf("___");
  const target = at > 0 ? actionId.slice(0, at) : undefined;
  return target === "CallTool" || target === "Mcp" ? undefined : target;
}
