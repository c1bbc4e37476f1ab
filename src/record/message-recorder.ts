/**
 * Turns lines seen on the wire into tape lines, on the taping thread: `msg` when the line is
 * JSON (an object, a batch array, anything JSON.parse accepts), `raw` when it is not, `stderr`
 * for the server's stderr, and the `session` line when the client's `initialize` arrives.
 * A message with no secret is taped as the very bytes received; only one that carries a
 * secret is re-serialised (the only way to replace a value). Nothing here touches the
 * forwarded bytes.
 */
import { isUtf8 } from "node:buffer";
import type { Redactor } from "../tape/redact.js";
import type { SessionLine } from "../tape/schema.js";
import type { MsgFields, TapeWriter } from "../tape/writer.js";
import { hasDuplicateKeys } from "./duplicate-keys.js";

export type Direction = "c2s" | "s2c";

/** What the session line says about who is calling, known when the session is first seen. */
export interface SessionInfo {
  session: string;
  /** `--identity`, or the hash of the bearer token. */
  identity?: string;
  /** `--claims`: the bearer JWT's claims (redacted), never the token. */
  claims?: Record<string, unknown>;
}

export class MessageRecorder {
  private sessionWritten = false;

  constructor(
    private readonly writer: TapeWriter,
    private readonly redactor: Redactor,
    private readonly info: SessionInfo,
  ) {}

  /**
   * One message from the wire, the bytes as received without the line end (over HTTP: one
   * request or response body, or one SSE event's data), seen at `t`. `http` is the status of
   * the HTTP response that carried it, given only when not 2xx; `answers` the id of the request
   * it answered, taped when the line names no id of its own (a bare 429), so replay can pair it.
   */
  line(dir: Direction, bytes: Buffer, t: string, http?: number, answers?: string | number): void {
    const fields: MsgFields = { session: this.info.session, dir, t, ...(http === undefined ? {} : { http }) };
    const text = bytes.toString("utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (dir === "c2s") this.ensureSession(t);
      this.raw(answers === undefined ? fields : { ...fields, answers }, text, bytes);
      return;
    }
    if (answers !== undefined && !namesAnId(parsed)) fields.answers = answers;
    if (dir === "c2s") this.ensureSession(t, findInitialize(parsed));
    if (!this.redactor.enabled) return this.verbatim(fields, bytes, text, parsed);
    let redacted: { value: unknown; pointers: string[] };
    try {
      // The one secret scan of the line: every key and every string JSON.parse kept.
      redacted = this.redactor.redact(parsed);
    } catch (err) {
      // Nested deeper than the stack can walk: keep the line as text (redacted as text), never lose it.
      if (!(err instanceof RangeError)) throw err;
      this.raw(fields, text, bytes);
      return;
    }
    const { value, pointers } = redacted;
    if (pointers.length > 0) {
      this.writer.write({ kind: "msg", ...fields, msg: value as object | null, redacted: pointers });
      return;
    }
    if (hasDuplicateKeys(text)) {
      // A copy of a repeated key that parsing dropped is in the text alone: a credential there is
      // taped with it replaced (a cut PEM block can leave text that is not JSON: then a raw line).
      const scrubbed = this.redactor.redactText(text);
      if (scrubbed !== text) {
        this.writer.writeMsgRaw(fields, scrubbed);
        return;
      }
    }
    this.verbatim(fields, bytes, text, parsed);
  }

  stderr(bytes: Buffer, t: string): void {
    this.writer.write({ kind: "stderr", session: this.info.session, t, text: this.scrub(bytes.toString("utf8")), ...this.asReceived(bytes) });
  }

  /**
   * Writes the session line once: when `initialize` arrives (with the client and protocol
   * version from it), or at the first other client line, or at the end if the client said
   * nothing, so the identity is always on the tape.
   */
  ensureSession(t: string, init?: InitializeInfo): void {
    if (this.sessionWritten) return;
    this.sessionWritten = true;
    const line: SessionLine = { kind: "session", session: this.info.session, t };
    if (this.info.identity !== undefined) line.identity = this.info.identity;
    if (this.info.claims !== undefined) line.claims = this.info.claims;
    if (init?.client) line.client = init.client;
    if (init?.protocolVersion !== undefined) line.protocolVersion = init.protocolVersion;
    this.writer.write(line);
  }

  /**
   * The received bytes as they are, unless they hold a line break (JSON whitespace, dropped so
   * the tape line stays one line) or are not UTF-8 (taped as decoded, a tape being UTF-8, with
   * the bytes themselves beside it: no secret was found in them).
   */
  private verbatim(fields: MsgFields, bytes: Buffer, text: string, parsed: unknown): void {
    const utf8 = isUtf8(bytes);
    if (bytes.indexOf(10) === -1 && bytes.indexOf(13) === -1 && utf8) this.writer.writeMsgBytes(fields, bytes, parsed);
    else this.writer.writeMsgRaw(utf8 ? fields : { ...fields, bytes: bytes.toString("base64") }, text, parsed);
  }

  private raw(fields: MsgFields, text: string, bytes: Buffer): void {
    const { session, dir, t, http, answers } = fields;
    this.writer.write({ kind: "raw", session, dir, t, ...(http === undefined ? {} : { http }), ...(answers === undefined ? {} : { answers }), text: this.scrub(text), ...this.asReceived(bytes) });
  }

  /**
   * `bytes`, for a line that is not UTF-8: decoding turned each bad sequence into U+FFFD, so
   * the line as received is kept beside the text, in base64, redacted as the text is (read
   * byte for byte as Latin-1, which the patterns of secrets, all ASCII, match the same way).
   */
  private asReceived(bytes: Buffer): { bytes?: string } {
    if (isUtf8(bytes)) return {};
    const kept = this.redactor.enabled ? Buffer.from(this.redactor.redactText(bytes.toString("latin1")), "latin1") : bytes;
    return { bytes: kept.toString("base64") };
  }

  private scrub(text: string): string {
    return this.redactor.enabled ? this.redactor.redactText(text) : text;
  }
}

/** Whether a message (or any item of a batch) carries a JSON-RPC id. */
function namesAnId(message: unknown): boolean {
  const items = Array.isArray(message) ? message : [message];
  return items.some((m) => typeof m === "object" && m !== null && (m as { id?: unknown }).id !== undefined);
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
