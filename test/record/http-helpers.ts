/** Plumbing for the HTTP recorder tests: server-everything over Streamable HTTP, the recorder in-process, SDK clients. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startHttpRecorder, type HttpRecorder } from "../../src/record/http.js";
import type { RedactOptions } from "../../src/tape/redact.js";
import { ROOT } from "./helpers.js";

export const EVERYTHING_JS = join(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Upstream {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** server-everything in streamableHttp mode on a free port, once it listens. */
export async function startEverythingHttp(): Promise<Upstream> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING_JS, "streamableHttp"], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stdout!.resume();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything did not start: ${err}`)), 15_000);
    child.stderr!.on("data", (c: Buffer) => {
      err += c.toString("utf8");
      if (err.includes("listening on port")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`server-everything exited ${code}: ${err}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

export interface InProcessHttp {
  recorder: HttpRecorder;
  err: () => string;
}

export async function recordHttpInProcess(
  tape: string,
  upstream: string,
  opts: { identity?: string; redact?: RedactOptions } = {},
): Promise<InProcessHttp> {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on("data", (c: Buffer) => chunks.push(c));
  const recorder = await startHttpRecorder({
    tape,
    upstream,
    identity: opts.identity,
    redact: opts.redact ?? { enabled: true },
    stderr,
  });
  return { recorder, err: () => Buffer.concat(chunks).toString("utf8") };
}

export async function httpClient(
  url: string,
  opts: { headers?: Record<string, string>; capabilities?: ConstructorParameters<typeof Client>[1] } = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "http-recorder-test", version: "2.0.0" }, opts.capabilities);
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: opts.headers ?? {} } });
  await client.connect(transport);
  return { client, transport };
}

/** Ends a client's session the way a client should: DELETE, then close. */
export async function endSession(c: { client: Client; transport: StreamableHTTPClientTransport }): Promise<void> {
  await c.transport.terminateSession().catch(() => undefined);
  await c.client.close();
}
