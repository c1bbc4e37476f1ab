/** The Cedar engine: everything outside src/cedar/ imports from here (and types.ts). */
export * from "./types.js";
export { loadCedar } from "./load.js";
export { readToolhiveConfig, loadToolhiveConfig, isToolhiveConfig, type ToolhiveConfig } from "./toolhive-config.js";
export { looksLikeCedar } from "./detect.js";
export { recognizeRecorded } from "./recorded.js";
export { AGENTCORE_DENY_MESSAGE, isIamArn } from "./agentcore.js";
export { policiesAsJson } from "./policy-json.js";
export { DEFAULT_GROUP_CLAIMS } from "./toolhive.js";
