/**
 * What a Cedar gateway in the recorded path decided, from the answer its client got:
 *  - ToolHive: HTTP 403 with JSON-RPC error `{code: 403, message: "Unauthorized"}` (pkg/authz
 *    middleware.go handleUnauthorized), and 429 "Rate limit exceeded" from its limiter;
 *  - AgentCore: the text `Tool Execution Denied: ...` (AuthorizeActionException, per a field report);
 *  - Docker: the text `policy denied tool <t> on server <s>: <reason>`.
 * Anything else is read as any gateway's answer is (src/tape/recorded.ts).
 */
import type { CedarProfile } from "./types.js";
import { recogniseAnswer, type RecognisedAnswer } from "../tape/recorded.js";

const AGENTCORE_DENIED = /^Tool Execution Denied\b/;
const DOCKER_DENIED = /^policy denied tool /;

export function recognizeRecorded(profile: CedarProfile, response: Record<string, unknown>, httpStatus?: number): RecognisedAnswer {
  const error = response.error as { code?: unknown; message?: unknown } | undefined;
  const errorText = typeof error?.message === "string" ? error.message : undefined;
  const text = errorText ?? resultText(response.result);
  const outcome = error !== undefined ? "error" : "isError";
  switch (profile) {
    case "toolhive":
      if (error !== undefined && httpStatus !== 429 && (httpStatus === 403 || error.code === 403) && errorText === "Unauthorized") {
        return { outcome: "error", recorded: { decision: "deny", message: errorText } };
      }
      break;
    case "agentcore":
      if (text !== undefined && AGENTCORE_DENIED.test(text)) return { outcome, recorded: { decision: "deny", message: text } };
      break;
    case "docker":
      if (text !== undefined && DOCKER_DENIED.test(text)) return { outcome, recorded: { decision: "deny", message: text } };
      break;
    case "cedar-for-agents":
      break;
  }
  return recogniseAnswer(response, httpStatus);
}

/** The first text of an isError result. */
function resultText(result: unknown): string | undefined {
  const { isError, content } = (result ?? {}) as { isError?: unknown; content?: unknown };
  if (isError !== true || !Array.isArray(content)) return undefined;
  const first = content[0] as { type?: unknown; text?: unknown } | undefined;
  return first?.type === "text" && typeof first.text === "string" ? first.text : undefined;
}
