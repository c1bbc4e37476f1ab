/**
 * One proxied HTTP request and its response: the bytes go through untouched (headers too, but
 * the hop-by-hop ones), a copy of each body goes to the tape.
 *
 * What is taped: a POST body as one `c2s` line (a message or a batch); its answer as one `s2c`
 * line when it is JSON, or one line per event when it is an SSE stream; the events of a GET
 * stream. An answer with a status other than 2xx carries it in `http` (an empty error body
 * is taped as an empty `raw` line, so a 429 is never lost); a 202 with no body is not a
 * message. Error answers to GET and DELETE are not messages of the session and are not taped.
 *
 * Which session: the request's `Mcp-Session-Id`. A POST without one that holds `initialize`
 * is taped once the upstream's response headers arrive, under the `Mcp-Session-Id` they
 * assign; any other request without one, or an initialize the upstream assigned no id to,
 * goes under the stateless session. The client's line is always taped before its answers.
 */
import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import { bodyTap } from "./http-body.js";
import { passHeaders, rawHeader } from "./http-headers.js";
import { statelessSession, type HttpSessions } from "./http-sessions.js";
import type { Direction } from "./message-recorder.js";
import type { RecordingTape } from "./recording-tape.js";
import { SseReader } from "./sse.js";
import { Valve } from "./valve.js";

export interface ProxyContext {
  readonly upstream: URL;
  readonly sessions: HttpSessions;
  /** `--identity`: wins over any bearer token. */
  readonly identity: string | undefined;
  newAgent(): Agent;
  readonly tape: RecordingTape;
  log(text: string): void;
  readonly open: Set<Exchange>;
}

interface BodyReader {
  push(chunk: Buffer): void;
  end(): void;
}

export class Exchange {
  private upReq: ClientRequest | undefined;
  private upRes: IncomingMessage | undefined;
  /** The session this exchange is taped under, once known. */
  private session: string | undefined;
  /** A fresh agent for a request without a session id, until a new session adopts it. */
  private ownAgent: Agent | undefined;
  private readonly requestChunks: Buffer[] = [];
  private heldRequest: Buffer | undefined;
  private requestTaped = false;
  private readonly afterRequest: (() => void)[] = [];
  private reader: BodyReader | undefined;
  private finished = false;
  /** Set once the whole body is in and only its decoding is left: the recorder waits for it at close. */
  draining: Promise<void> | undefined;
  private aborted = false;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly sessionId: string | undefined,
    private readonly identity: string | undefined,
  ) {}

  start(search: string): void {
    const { ctx, req, res } = this;
    ctx.open.add(this);
    let agent: Agent;
    if (this.sessionId !== undefined) {
      const known = ctx.sessions.has(this.sessionId);
      const session = ctx.sessions.get(this.sessionId, this.identity);
      // A session first seen mid-way (the recorder started late): its line goes first.
      if (!known) ctx.tape.ensureSession(session.id);
      this.session = this.sessionId;
      agent = session.agent;
    } else {
      agent = this.ownAgent = ctx.newAgent();
    }

    const target = new URL(ctx.upstream);
    if (search !== "") target.search = target.search === "" ? search : `${target.search}&${search.slice(1)}`;
    // An array of headers keeps names, case and order; Node adds no Host to one, so we do.
    const headers = ["Host", target.host, ...passHeaders(req.rawHeaders, ["host"])];
    const request = target.protocol === "https:" ? httpsRequest : httpRequest;
    const upReq = (this.upReq = request(target, { method: req.method, headers, agent }));
    upReq.on("response", (up) => this.onResponse(up));
    upReq.on("error", (err) => this.onUpstreamError(err));

    if (req.method === "POST") {
      const tap = bodyTap(rawHeader(req.rawHeaders, "content-encoding"), (c) => this.requestChunks.push(c), (err) => ctx.log(`cannot decode a request body for the tape: ${err.message}`));
      req.on("data", (chunk: Buffer) => tap.push(chunk));
      req.once("end", () => tap.end(() => this.requestDone()));
    } else {
      this.tapedRequest();
    }
    this.forward(req, upReq);
    req.on("error", () => upReq.destroy());
    // The client went away (closed its SSE stream, gave up): so does our upstream request.
    res.once("close", () => {
      if (!res.writableFinished) this.cut();
    });
  }

  /** The recorder is stopping: cut both sides and tape what arrived. */
  shutdown(): void {
    this.res.destroy();
    this.cut();
  }

  /**
   * Cut short (the client hung up, or the recorder stops): no more of the request will come,
   * so what arrived of it is taped now (a body cut off mid-way becomes a raw line), then the
   * answer's part.
   */
  private cut(): void {
    this.abort();
    if (!this.requestTaped) this.requestDone();
    this.finish();
  }

  private requestDone(): void {
    if (this.requestTaped) return;
    const body = Buffer.concat(this.requestChunks);
    if (isBlank(body)) return this.tapedRequest();
    if (this.session === undefined && !holdsInitialize(body)) this.session = statelessSession(this.identity);
    if (this.session === undefined) {
      this.heldRequest = body; // taped when the response names the session
      return;
    }
    this.tapeLine("c2s", body);
    this.tapedRequest();
  }

  private tapedRequest(): void {
    this.requestTaped = true;
    for (const work of this.afterRequest.splice(0)) work();
  }

  /** The session of a request that had no id is now known: tape the request if it waited. */
  private sessionKnown(assigned: string | undefined): void {
    if (this.session !== undefined) return;
    this.session = assigned ?? statelessSession(this.identity);
    const isNew = !this.ctx.sessions.has(this.session);
    this.ctx.sessions.get(this.session, this.identity, this.ownAgent);
    if (isNew) this.ownAgent = undefined; // the new session's connection now
    if (this.heldRequest !== undefined) {
      const body = this.heldRequest;
      this.heldRequest = undefined;
      this.tapeLine("c2s", body);
      this.tapedRequest();
    }
  }

  private onResponse(up: IncomingMessage): void {
    const { req, res } = this;
    this.upRes = up;
    const status = up.statusCode ?? 502;
    this.sessionKnown(rawHeader(up.rawHeaders, "mcp-session-id"));

    res.writeHead(status, up.statusMessage, passHeaders(up.rawHeaders));
    const sse = (rawHeader(up.rawHeaders, "content-type") ?? "").toLowerCase().startsWith("text/event-stream");
    // An event stream's headers go out now: the first event may be a long way off.
    if (sse) res.flushHeaders();

    const http = status >= 200 && status < 300 ? undefined : status;
    if (req.method === "POST" || (req.method === "GET" && sse)) this.reader = this.readerFor(sse, http);
    const reader = this.reader;
    if (reader !== undefined) {
      const tap = bodyTap(rawHeader(up.rawHeaders, "content-encoding"), (c) => reader.push(c), (err) => this.ctx.log(`cannot decode a response body for the tape: ${err.message}`));
      up.on("data", (chunk: Buffer) => tap.push(chunk));
      up.once("end", () => {
        this.draining = new Promise((resolve) => tap.end(() => {
          this.finish();
          resolve();
        }));
      });
    } else {
      up.once("end", () => this.finish());
    }
    up.once("close", () => {
      // Cut off mid-body (the upstream went away): the client's stream ends too.
      if (up.complete) return;
      res.destroy();
      this.finish();
    });
    this.forward(up, res);

    if (req.method === "DELETE" && http === undefined && this.session !== undefined) {
      const session = this.ctx.sessions.get(this.session, this.identity);
      res.once("finish", () => session.agent.destroy());
    }
  }

  private readerFor(sse: boolean, http: number | undefined): BodyReader {
    if (sse) return new SseReader((data) => this.tapeLine("s2c", data, http));
    const chunks: Buffer[] = [];
    return {
      push: (chunk) => chunks.push(chunk),
      end: () => {
        const body = Buffer.concat(chunks);
        if (body.length > 0 || http !== undefined) this.tapeLine("s2c", body, http);
      },
    };
  }

  private onUpstreamError(err: Error): void {
    const { res } = this;
    if (this.aborted) {
      this.finish();
    } else if (this.upRes === undefined) {
      this.ctx.log(`cannot reach the upstream ${this.ctx.upstream.href}: ${err.message}`);
      this.sessionKnown(undefined);
      if (!res.headersSent) {
        // The request's id, when it has one, so the client's pending call fails now rather than at its timeout;
        // and the answer is taped, as all the client saw is.
        const id = requestIdOf(Buffer.concat(this.requestChunks)) ?? null;
        const body = JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: `mcptape: cannot reach the upstream server: ${err.message}` }, id });
        res.writeHead(502, { "Content-Type": "application/json" });
        res.end(body);
        this.tapeLine("s2c", Buffer.from(body), 502);
      } else {
        res.destroy();
      }
    } else {
      res.destroy();
    }
    this.finish();
  }

  private abort(): void {
    this.aborted = true;
    this.upReq?.destroy();
    this.upRes?.destroy();
  }

  /** The body is over (or cut off): tape what the reader holds, let go of what is ours. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.heldRequest !== undefined) this.sessionKnown(undefined);
    const reader = this.reader;
    if (reader !== undefined) this.whenRequestTaped(() => reader.end());
    this.ownAgent?.destroy();
    this.ctx.open.delete(this);
  }

  /** A server's lines are taped after the client's line they answer. */
  private whenRequestTaped(work: () => void): void {
    if (this.requestTaped) work();
    else this.afterRequest.push(work);
  }

  /**
   * Passes a body on as it comes, with the tape's backpressure: while the tape queue is full,
   * reading from the sender pauses.
   */
  private forward(from: IncomingMessage, to: ClientRequest | ServerResponse): void {
    const valve = new Valve(from);
    const unthrottle = this.ctx.tape.throttle(valve);
    from.on("data", (chunk: Buffer) => valve.pass(chunk, to));
    from.once("end", () => to.end());
    from.once("close", unthrottle);
  }

  private tapeLine(dir: Direction, bytes: Buffer, http?: number): void {
    // An error answer may name no id (a bare 429): the request's id goes with it (read only then).
    const answers = http === undefined ? undefined : requestIdOf(Buffer.concat(this.requestChunks));
    const write = (): void => {
      const session = this.ctx.sessions.get(this.session!, this.identity);
      this.ctx.tape.line(session.id, dir, bytes, { http, answers });
    };
    if (dir === "c2s") write();
    else this.whenRequestTaped(write);
  }
}

/** Whether a request body holds an `initialize` request (alone or in a batch). */
function holdsInitialize(body: Buffer): boolean {
  if (!body.includes("initialize")) return false;
  try {
    const parsed = JSON.parse(body.toString("utf8")) as unknown;
    const items = Array.isArray(parsed) ? parsed : [parsed];
    return items.some((m) => typeof m === "object" && m !== null && (m as { method?: unknown }).method === "initialize");
  } catch {
    return false;
  }
}

/** The id of a request body that is one JSON-RPC request with an id (not a batch), else undefined. */
function requestIdOf(body: Buffer): string | number | undefined {
  try {
    const id = (JSON.parse(body.toString("utf8")) as { id?: unknown } | null)?.id;
    return typeof id === "string" || (typeof id === "number" && Number.isFinite(id)) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A body of JSON whitespace alone (or nothing): no message. */
function isBlank(body: Buffer): boolean {
  for (const b of body) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}
