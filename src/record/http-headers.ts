/**
 * Header handling for the Streamable HTTP recorder: which headers pass through the proxy,
 * which requests are refused (DNS rebinding), and who is calling.
 * Headers are never written to the tape; the identity is the only thing taken from them.
 */
import { createHash } from "node:crypto";
import { isIP } from "node:net";

/** RFC 9110 7.6.1: headers that describe one connection, not the message. */
const HOP_BY_HOP = new Set([
  "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
  "te", "trailer", "transfer-encoding", "upgrade",
]);

/**
 * `raw` (a rawHeaders list: name, value, name, value ...) without hop-by-hop headers, those
 * named in `Connection`, and any in `drop` (lower case). Names keep their case and order.
 */
export function passHeaders(raw: string[], drop: readonly string[] = []): string[] {
  const named = new Set(drop);
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== "connection") continue;
    for (const n of raw[i + 1]!.split(",")) named.add(n.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** The first value of header `name` (lower case) in a rawHeaders list. */
export function rawHeader(raw: string[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return raw[i + 1];
  return undefined;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost") || h === "::1") return true;
  return isIP(h) === 4 && h.startsWith("127.");
}

/**
 * The MCP transport spec's DNS-rebinding rule: a browser page from another site must not reach
 * a local server. A request without `Origin` (not from a browser) passes; an `Origin` passes
 * when it names this machine or the address we were told to bind. `null` (sandboxed pages,
 * files) does not.
 */
export function originAllowed(origin: string | undefined, bindHost: string): boolean {
  if (origin === undefined) return true;
  let hostname: string;
  try {
    hostname = new URL(origin).hostname;
  } catch {
    return false;
  }
  return isLoopbackHost(hostname) || hostname.replace(/^\[|\]$/g, "") === bindHost.replace(/^\[|\]$/g, "");
}

/**
 * Bound to a loopback address, the `Host` a request names must be a loopback name too: a
 * rebound DNS name (evil.example resolving to 127.0.0.1) is refused even without `Origin`.
 */
export function hostAllowed(host: string | undefined, bindHost: string): boolean {
  if (!isLoopbackHost(bindHost)) return true;
  if (host === undefined) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return isLoopbackHost(hostname);
}

/** `sha256:` and the first 16 hex of the SHA-256 of a bearer token: who called, never the token. */
export function bearerIdentity(authorization: string | undefined): string | undefined {
  const m = authorization === undefined ? null : /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return undefined;
  return `sha256:${createHash("sha256").update(m[1]!, "utf8").digest("hex").slice(0, 16)}`;
}
