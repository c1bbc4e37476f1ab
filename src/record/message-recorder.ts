/**
 * Turns lines seen on the wire into tape lines: `msg` when the line is JSON (an object, a
 * batch array, anything JSON.parse accepts), `raw` when it is not, `stderr` for the server's
 * stderr, and the `session` line when the client's `initialize` arrives.
 * Unredacted messages are spliced into the tape as the sender's text; redacted ones are
 * re-serialised (the only way to replace a value). Nothing here touches the forwarded bytes.
 */
import type { Redactor } from "../tape/redact.js";
import { hasDuplicateKeys } from "./duplicate-keys.js";
import type { TapeWriter } from "../tape/writer.js";
import type { SessionLine } from "../tape/schema.js";

export type Direction = "c2s" | "s2c";

export class MessageRecorder {
  private sessionWritten = false;

  constructor(
    private readonly writer: TapeWriter,
    private readonly redactor: Redactor,
    readonly session: string,
    private readonly identity?: string,
    private readonly claims?: Record<string, unknown>,
  ) {}

  /**
   * One line from the wire, without its line end (over HTTP: one request body or SSE event).
   * `http` is the status of the HTTP response that carried it, given only when not 2xx.
   */
  line(dir: Direction, text: string, http?: number): void {
    const status = http === undefined ? {} : { http };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (dir === "c2s") this.ensureSession();
      this.writer.write({ kind: "raw", session: this.session, dir, ...status, text: this.redactor.enabled ? this.redactor.redactText(text) : text });
      return;
    }
    if (dir === "c2s") this.ensureSession(findInitialize(parsed));
    let redacted: { value: unknown; pointers: string[] };
    try {
      redacted = this.redactor.redact(parsed);
    } catch (err) {
      // Nested deeper than the stack can walk: keep the line as text (redacted as text), never lose it.
      if (!(err instanceof RangeError)) throw err;
      this.writer.write({ kind: "raw", session: this.session, dir, ...status, text: this.redactor.enabled ? this.redactor.redactText(text) : text });
      return;
    }
    const { value, pointers } = redacted;
    if (pointers.length > 0) {
      this.writer.write({ kind: "msg", session: this.session, dir, ...status, msg: value as object | null, redacted: pointers });
      return;
    }
    const scrubbed = this.redactor.enabled ? this.redactor.redactText(text) : text;
    if (scrubbed !== text && hasDuplicateKeys(text)) {
      // A credential in a copy of a key that parsing dropped: tape the text with it replaced
      // (a cut PEM block can leave text that is not JSON: then it is a raw line).
      this.writer.writeMsgRaw({ session: this.session, dir, ...status }, scrubbed);
      return;
    }
    this.writer.writeMsgRaw({ session: this.session, dir, ...status }, text, parsed);
  }

  stderr(text: string): void {
    this.writer.write({ kind: "stderr", session: this.session, text: this.redactor.enabled ? this.redactor.redactText(text) : text });
  }

  /**
   * Writes the session line once: when `initialize` arrives (with the client and protocol
   * version from it), or at the first other client line, or at the end if the client said
   * nothing, so the identity is always on the tape.
   */
  ensureSession(init?: InitializeInfo): void {
    if (this.sessionWritten) return;
    this.sessionWritten = true;
    const line: Omit<SessionLine, "t"> = { kind: "session", session: this.session };
    if (this.identity !== undefined) line.identity = this.identity;
    if (this.claims !== undefined) line.claims = this.claims;
    if (init?.client) line.client = init.client;
    if (init?.protocolVersion !== undefined) line.protocolVersion = init.protocolVersion;
    this.writer.write(line);
  }
}

interface InitializeInfo {
  client?: { name: string; version: string };
  protocolVersion?: string;
}

/** The client and protocol version of an `initialize` request, alone or in a batch. */
function findInitialize(message: unknown): InitializeInfo | undefined {
  const candidates = Array.isArray(message) ? message : [message];
  for (const m of candidates) {
    if (typeof m !== "object" || m === null || (m as { method?: unknown }).method !== "initialize") continue;
    const params = (m as { params?: unknown }).params as
      | { clientInfo?: { name?: unknown; version?: unknown }; protocolVersion?: unknown }
      | undefined;
    const info: InitializeInfo = {};
    const ci = params?.clientInfo;
    if (ci && typeof ci.name === "string" && typeof ci.version === "string") {
      info.client = { name: ci.name, version: ci.version };
    }
    if (typeof params?.protocolVersion === "string") info.protocolVersion = params.protocolVersion;
    return info;
  }
  return undefined;
}
