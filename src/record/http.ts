/**
 * `mcptape record -o TAPE --upstream URL`: a Streamable HTTP proxy in front of an MCP server
 * that writes every session passing through it to one tape.
 *
 * Built on node:http, not the SDK's transports: those parse and re-serialise messages, and a
 * recorder must pass bytes and headers through untouched (see http-exchange.ts for what is
 * taped and under which session). Only /mcp is served. Requests whose Origin is not local
 * (or, bound to loopback, whose Host is not) get 403: the MCP spec's DNS-rebinding rule.
 * Headers are never taped: the identity on a session line is `--identity` or the hash of
 * the bearer token (http-headers.ts).
 */
import { randomUUID } from "node:crypto";
import { Agent as HttpAgent, createServer, type Agent, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Writable } from "node:stream";
import { InputError } from "../errors.js";
import { Redactor, type RedactOptions } from "../tape/redact.js";
import { VERSION } from "../version.js";
import { Exchange, type ProxyContext } from "./http-exchange.js";
import { bearerIdentity, hostAllowed, originAllowed, rawHeader } from "./http-headers.js";
import { HttpSessions } from "./http-sessions.js";
import { ClaimsReader, type ClaimsChoice } from "./jwt-claims.js";
import { RecordingTape } from "./recording-tape.js";
import { STOP_SIGNALS } from "./stop-signals.js";

export interface RecordHttpOptions {
  tape: string;
  /** The upstream Streamable HTTP endpoint, like http://localhost:3001/mcp. */
  upstream: string;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port to listen on; 0 or absent: a free one. */
  port?: number;
  /** Who is calling, on every session line (else the bearer token's hash). */
  identity?: string;
  redact: RedactOptions;
  /** `--claims`: each session's bearer JWT claims on its session line (off when absent). */
  claims?: ClaimsChoice;
  stderr?: Writable;
}

export interface HttpRecorder {
  /** Where clients connect: http://HOST:PORT/mcp. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, cuts open streams, tapes what arrived, writes the end line and fsyncs. */
  close(reason?: "closed" | "signal" | "error"): Promise<void>;
}

export const MCP_PATH = "/mcp";

/** Runs the proxy until SIGINT, SIGTERM or SIGHUP; returns the exit code (0: stopping it is how it ends). */
export async function recordHttp(opts: RecordHttpOptions): Promise<number> {
  const recorder = await startHttpRecorder(opts);
  const stderr = opts.stderr ?? process.stderr;
  stderr.write(`mcptape: recording on ${recorder.url} -> ${opts.upstream} into ${opts.tape} (Ctrl-C to stop)\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const sig of STOP_SIGNALS) process.once(sig, () => resolve(sig));
  });
  await recorder.close("signal");
  stderr.write(`mcptape: ${signal}: the tape ${opts.tape} is closed\n`);
  return 0;
}

/** Starts the proxy; resolves once it listens. */
export async function startHttpRecorder(opts: RecordHttpOptions): Promise<HttpRecorder> {
  const upstream = parseUpstream(opts.upstream);
  const host = opts.host ?? "127.0.0.1";
  const port = parsePort(opts.port);
  const stderr = opts.stderr ?? process.stderr;
  const redactor = new Redactor(opts.redact);
  const log = (text: string): void => void stderr.write(`mcptape: ${text}\n`);
  const tape = await RecordingTape.open(opts.tape, {
    id: randomUUID(),
    recorder: { name: "mcptape", version: VERSION },
    transport: "http",
    upstream: { url: tapeUrl(upstream, redactor) },
    redaction: { ...redactor.describe(), headers: "never taped" },
  }, redactor.init, log);

  const claims = opts.claims && new ClaimsReader(opts.claims, redactor, (text) => log(`warning: ${text}`));
  const newAgent = (): Agent => (upstream.protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }));
  const ctx: ProxyContext = {
    upstream,
    sessions: new HttpSessions(tape, newAgent, claims && ((identity) => claims.of(identity))),
    tape,
    identity: opts.identity,
    newAgent,
    open: new Set(),
    log,
  };

  const server = createServer((req, res) => handle(ctx, host, req, res, claims));
  try {
    await listen(server, port, host);
  } catch (err) {
    await tape.discard();
    throw new InputError(`cannot listen on ${host}:${port}: ${(err as Error).message}`, undefined, "choose another --port, or leave it out for a free one");
  }
  const bound = (server.address() as { port: number }).port;

  /** Bodies already in whole are taped to the end; streams still open are cut. */
  const finish = async (reason: "closed" | "signal" | "error"): Promise<void> => {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...ctx.open].map((e) => e.draining));
    for (const exchange of [...ctx.open]) exchange.shutdown();
    server.closeAllConnections();
    ctx.sessions.destroyAgents();
    // Closed: late events (a socket closing) tape nothing more.
    await tape.close({ reason });
    await stopped;
  };
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}${MCP_PATH}`,
    port: bound,
    close: (reason = "closed") => (closing ??= finish(reason)),
  };
}

function handle(ctx: ProxyContext, host: string, req: IncomingMessage, res: ServerResponse, claims: ClaimsReader | undefined): void {
  // A request line no URL parser takes (`GET http://[ HTTP/1.1`) must not take the recorder down.
  const target = req.url ?? "/";
  if (!URL.canParse(target, "http://localhost")) return refuse(res, 400, "Bad Request: the request target is not a URL");
  const url = new URL(target, "http://localhost");
  if (url.pathname !== MCP_PATH) return refuse(res, 404, `Not Found: mcptape serves ${MCP_PATH}`);
  const origin = rawHeader(req.rawHeaders, "origin");
  if (!originAllowed(origin, host)) {
    ctx.log(`refused a request from Origin ${origin} (not local)`);
    return refuse(res, 403, `Forbidden: Origin ${origin} is not local`);
  }
  if (!hostAllowed(req.headers.host, host)) {
    ctx.log(`refused a request for Host ${req.headers.host ?? "(none)"} (not local)`);
    return refuse(res, 403, `Forbidden: Host ${req.headers.host ?? "(none)"} is not local`);
  }
  const sessionId = rawHeader(req.rawHeaders, "mcp-session-id");
  const identity = ctx.identity ?? bearerIdentity(rawHeader(req.rawHeaders, "authorization"));
  claims?.note(identity, rawHeader(req.rawHeaders, "authorization"));
  new Exchange(ctx, req, res, sessionId, identity).start(url.search);
}

/** Our own refusals: a JSON-RPC error body, as MCP servers answer, and nothing taped. */
function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

function parseUpstream(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`--upstream ${JSON.stringify(text)} is not a URL`, undefined, "write it like --upstream http://localhost:3001/mcp");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`--upstream ${JSON.stringify(text)} is not an http or https URL`, undefined, "write it like --upstream http://localhost:3001/mcp");
  }
  return url;
}

function parsePort(port: number | undefined): number {
  if (port === undefined) return 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(`--port ${port} is not a port number`, undefined, "give 1-65535, or 0 (or nothing) for a free port");
  }
  return port;
}

/** The upstream as the header records it: no user:password, secret-looking query values redacted. */
function tapeUrl(url: URL, redactor: Redactor): string {
  const out = new URL(url);
  out.username = "";
  out.password = "";
  if (redactor.enabled) {
    for (const [key, value] of [...out.searchParams]) {
      if (redactor.isSecretKey(key)) out.searchParams.set(key, redactor.placeholder(value));
    }
  }
  return out.href;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
