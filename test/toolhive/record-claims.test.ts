/**
 * `mcptape record --claims`: a real SDK client sends a signed JWT (HS256, signed here with
 * node:crypto) through the HTTP recorder to server-everything over Streamable HTTP; the session
 * line carries the decoded claims, never the token or its signature.
 */
import { createHmac } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { startHttpRecorder } from "../../src/record/http.js";
import { claimsChoiceFrom, jwtPayload, type ClaimsChoice } from "../../src/record/jwt-claims.js";
import { readTape } from "../../src/tape/reader.js";
import type { SessionLine } from "../../src/tape/schema.js";
import { endSession, httpClient, startEverythingHttp, type Upstream } from "../record/http-helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

const b64url = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");

/** An HS256 JWT: header.payload.HMAC-SHA256(header.payload). */
function signJwt(payload: object, secret = "test-signing-key"): string {
  const input = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

const PAYLOAD = {
  iss: "https://auth.example.com", sub: "alice", aud: "mcp", exp: 1_900_000_000, iat: 1_800_000_000,
  email: "alice@example.com", groups: ["finance", "eng"], scope: "repo:read tools:call",
};

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startEverythingHttp();
});
afterAll(async () => {
  await upstream?.stop();
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Records one session per token (each calling echo) and returns the tape's text, its session lines and stderr. */
async function record(tokens: string[], opts: { claims?: ClaimsChoice; redact?: boolean } = {}) {
  dir = tempDir("claims");
  const tape = join(dir, "t.jsonl");
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on("data", (c: Buffer) => chunks.push(c));
  const recorder = await startHttpRecorder({
    tape, upstream: upstream.url, redact: { enabled: opts.redact ?? true }, ...(opts.claims ? { claims: opts.claims } : {}), stderr,
  });
  for (const token of tokens) {
    const c = await httpClient(recorder.url, { headers: { Authorization: `Bearer ${token}` } });
    await c.client.callTool({ name: "echo", arguments: { message: "hi" } });
    await endSession(c);
  }
  await recorder.close();
  const lines = [];
  for await (const l of readTape(tape)) lines.push(l.line);
  const sessions = lines.filter((l): l is SessionLine => l.kind === "session");
  return { text: readFileSync(tape, "utf8"), sessions, stderr: Buffer.concat(chunks).toString("utf8") };
}

describe("record --claims over Streamable HTTP", () => {
  it("writes every claim of the session's bearer JWT on its session line, and nothing of the token", async () => {
    const token = signJwt(PAYLOAD);
    const { text, sessions, stderr } = await record([token], { claims: { all: true } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.claims).toEqual(PAYLOAD);
    const [header, payload, signature] = token.split(".");
    for (const part of [token, header!, payload!, signature!]) expect(text).not.toContain(part);
    expect(stderr).toBe("");
  });

  it("--claims sub,groups keeps only the named claims", async () => {
    const { sessions } = await record([signJwt(PAYLOAD)], { claims: { names: ["sub", "groups", "missing"] } });
    expect(sessions[0]!.claims).toEqual({ sub: "alice", groups: ["finance", "eng"] });
  });

  it("each session has its own token's claims", async () => {
    const { sessions } = await record([signJwt({ sub: "alice" }), signJwt({ sub: "bob" })], { claims: { names: ["sub"] } });
    expect(sessions.map((s) => s.claims)).toEqual([{ sub: "alice" }, { sub: "bob" }]);
  });

  it("redaction applies to claim values: a secret-named claim and a credential-shaped value are replaced, unless --no-redact", async () => {
    const payload = { sub: "alice", api_key: "k-1234567890", upstream: "ghp_abcdefghijklmnopqrstuvwxyz0123" };
    const redacted = await record([signJwt(payload)], { claims: { all: true } });
    expect(redacted.sessions[0]!.claims).toEqual({ sub: "alice", api_key: expect.stringMatching(/^\[REDACTED:[0-9a-f]{8}\]$/), upstream: expect.stringMatching(/^\[REDACTED:[0-9a-f]{8}\]$/) });
    expect(redacted.text).not.toContain("k-1234567890");
    expect(redacted.text).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123");
    const kept = await record([signJwt(payload)], { claims: { all: true }, redact: false });
    expect(kept.sessions[0]!.claims).toEqual(payload);
  });

  it("a bearer token that is not a JWT gives no claims and one warning on stderr, however many sessions", async () => {
    const { sessions, stderr } = await record(["opaque-token-0123456789", "another-opaque-token-42"], { claims: { all: true } });
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.claims === undefined)).toBe(true);
    expect(stderr).toBe("mcptape: warning: --claims: a request's Authorization is not a bearer JWT, so its session has no claims (said once)\n");
  });

  it("off by default: without --claims a JWT leaves no claims on the tape", async () => {
    const { sessions, text } = await record([signJwt(PAYLOAD)]);
    expect(sessions[0]!.claims).toBeUndefined();
    expect(text).not.toContain("alice@example.com");
  });
});

describe("reading a JWT and the --claims flag", () => {
  it("only a three-part token whose header and payload are JSON objects is a JWT", () => {
    expect(jwtPayload(signJwt({ sub: "a" }))).toEqual({ sub: "a" });
    expect(jwtPayload("a.b")).toBeUndefined();
    expect(jwtPayload(`${b64url({ alg: "none" })}.${b64url([1, 2])}.`)).toBeUndefined();
    expect(jwtPayload(`not-json.${b64url({ sub: "a" })}.sig`)).toBeUndefined();
    expect(jwtPayload(`${b64url({ alg: "RSA-OAEP" })}.key.iv.ciphertext.tag`)).toBeUndefined(); // JWE: encrypted, no readable claims
  });

  it("--claims alone is all claims, a comma list is those names, an empty list is refused", () => {
    expect(claimsChoiceFrom(true)).toEqual({ all: true });
    expect(claimsChoiceFrom("sub, groups,,scope")).toEqual({ names: ["sub", "groups", "scope"] });
    expect(() => claimsChoiceFrom(",")).toThrow("--claims \",\" names no claim");
  });

  it("--port with the stdio recorder is bad input (exit 2), not ignored: only the HTTP proxy listens", async () => {
    const tape = join(tempDir("record-port"), "never-written.jsonl");
    let out = "";
    const stderr = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
    const code = await main(["node", "mcptape", "record", "-o", tape, "--port", "8808", "--", "node", "server.js"], { stdout: new PassThrough(), stderr });
    expect(code).toBe(2);
    expect(out).toContain("--port is where the Streamable HTTP proxy listens: it works with --upstream only; drop --port, or record over Streamable HTTP with --upstream URL");
    expect(existsSync(tape)).toBe(false);
  });

  it("--claims with the stdio recorder is bad input (exit 2): stdio carries no bearer tokens", async () => {
    const stderr = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
    let out = "";
    const code = await main(["node", "mcptape", "record", "-o", join(tmpdir(), "never-written.jsonl"), "--claims", "--", "node", "server.js"], { stdout: new PassThrough(), stderr });
    expect(code).toBe(2);
    expect(out).toContain("--claims reads the bearer tokens of HTTP requests: it works with --upstream only");
  });
});
