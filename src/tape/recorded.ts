/**
 * Reads what a gateway in the recorded path decided from the answer a client got.
 * Intercept answers a denial with an isError result starting `[INTERCEPT POLICY DENIED]` and an
 * approval hold with error -32003 `[INTERCEPT APPROVAL REQUIRED]`; other gateways throttle with
 * 429 and deny with -32602 "Unknown tool" / "access denied". Anything else answered means the
 * call went through: allow.
 */
import type { Outcome, RecordedDecision } from "./schema.js";

const DENIED_PREFIX = "[INTERCEPT POLICY DENIED]";
/** How Intercept begins the message of a call it holds for approval (the loader writes it too). */
export const APPROVAL_PREFIX = "[INTERCEPT APPROVAL REQUIRED]";
/** Intercept's own limit messages; a denial that reads like one was a throttle. */
export const RATE_LIMIT_TEXT = /^Rate limit (of \d+ per \w+ reached|exceeded for )/;

export interface RecognisedAnswer {
  outcome: Outcome;
  recorded: RecordedDecision;
}

/**
 * `response` is a JSON-RPC response object (has `result` or `error`); `httpStatus` is the
 * status of the HTTP response that carried it, when the recorder saw one that was not 2xx.
 */
export function recogniseAnswer(response: Record<string, unknown>, httpStatus?: number): RecognisedAnswer {
  const error = response.error;
  if (httpStatus === 429) {
    const message = (error as { message?: unknown } | undefined)?.message;
    return { outcome: "error", recorded: { decision: "throttle", ...(typeof message === "string" ? { message } : {}) } };
  }
  if (error !== undefined) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : "";
    if (code === -32003 || text.startsWith(APPROVAL_PREFIX)) {
      return { outcome: "error", recorded: { decision: "approval", message: stripPrefix(text, APPROVAL_PREFIX) } };
    }
    if (code === 429) return { outcome: "error", recorded: { decision: "throttle", message: text } };
    if (code === -32602 && /unknown tool|access denied/i.test(text)) {
      return { outcome: "error", recorded: { decision: "deny", message: text } };
    }
    // The call reached the server, which failed it: the gateway allowed it.
    return { outcome: "error", recorded: { decision: "allow" } };
  }
  const result = response.result as { isError?: unknown; content?: unknown } | undefined;
  if (result && result.isError === true) {
    const text = firstText(result.content);
    if (text !== undefined && text.startsWith(DENIED_PREFIX)) {
      const message = stripPrefix(text, DENIED_PREFIX);
      return { outcome: "isError", recorded: { decision: RATE_LIMIT_TEXT.test(message) ? "throttle" : "deny", message } };
    }
    return { outcome: "isError", recorded: { decision: "allow" } };
  }
  return { outcome: "ok", recorded: { decision: "allow" } };
}

function firstText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const first = content[0] as { type?: unknown; text?: unknown } | undefined;
  return first && first.type === "text" && typeof first.text === "string" ? first.text : undefined;
}

function stripPrefix(text: string, prefix: string): string {
  return text.startsWith(prefix) ? text.slice(prefix.length).trimStart() : text;
}
