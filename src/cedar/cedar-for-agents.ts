/** cedar-for-agents (the MCP schema generator's request shape): not built yet. */
import type { Diagnostic } from "../errors.js";
import type { ProfileSettings } from "./types.js";
import type { Profile } from "./engine.js";

export function cedarForAgentsProfile(_settings: ProfileSettings, file: string): { profile: Profile | null; diagnostics: Diagnostic[] } {
  return {
    profile: null,
    diagnostics: [{ file, line: 1, col: 1, severity: "error", message: "profile cedar-for-agents is not available yet; use toolhive, agentcore or docker" }],
  };
}
