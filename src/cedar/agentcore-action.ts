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
