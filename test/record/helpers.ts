/** Shared plumbing for the recorder tests: the recorder in-process, an SDK client on its streams, tapes read back. */
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { recordStdio } from "../../src/record/stdio.js";
import type { RedactOptions } from "../../src/tape/redact.js";
import { readTape } from "../../src/tape/reader.js";
import type { TapeLine } from "../../src/tape/schema.js";
import { tempDir as newTempDir } from "../helpers/temp-dir.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const EVERYTHING = [process.execPath, join(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js"), "stdio"];
export const LINE_SERVER = [process.execPath, join(ROOT, "test/record/fixtures/line-server.mjs")];
/** The built command line (test/global-setup.ts builds it before the tests). */
export const BIN = join(ROOT, "bin/mcptape.js");

export function tempDir(): string {
  return newTempDir("record");
}

/** An SDK client transport over a pair of streams (the recorder's stdin and stdout). */
export class StreamClientTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly buffer = new ReadBuffer();

  constructor(
    private readonly toServer: PassThrough,
    private readonly fromServer: PassThrough,
  ) {}

  async start(): Promise<void> {
    this.fromServer.on("data", (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (;;) {
        let msg: JSONRPCMessage | null;
        try {
          msg = this.buffer.readMessage();
        } catch (err) {
          this.onerror?.(err as Error);
          continue;
        }
        if (msg === null) break;
        this.onmessage?.(msg);
      }
    });
    this.fromServer.on("end", () => this.onclose?.());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.toServer.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.toServer.end();
  }
}

export interface InProcess {
  /** Write here to reach the server (the recorder's stdin). */
  stdin: PassThrough;
  /** What the recorder forwarded from the server. */
  stdout: PassThrough;
  /** Every byte the recorder wrote to stdout / stderr so far. */
  out: () => Buffer;
  err: () => string;
  /** The recorder's exit code, once the session ends. */
  done: Promise<number>;
}

/** Starts the recorder in this process, on streams, with short timers and no signal handlers. */
export function recordInProcess(
  tape: string,
  command: string[],
  opts: { redact?: RedactOptions; env?: NodeJS.ProcessEnv; identity?: string } = {},
): InProcess {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  stdout.on("data", (c: Buffer) => outChunks.push(c));
  stderr.on("data", (c: Buffer) => errChunks.push(c));
  const done = recordStdio({
    tape,
    command,
    identity: opts.identity,
    redact: opts.redact ?? { enabled: true },
    env: opts.env,
    stdin,
    stdout,
    stderr,
    graceMs: 1000,
    forwardSignals: false,
  });
  return {
    stdin,
    stdout,
    out: () => Buffer.concat(outChunks),
    err: () => Buffer.concat(errChunks).toString("utf8"),
    done,
  };
}

export async function tapeLines(path: string): Promise<TapeLine[]> {
  const lines: TapeLine[] = [];
  for await (const { line } of readTape(path)) lines.push(line);
  return lines;
}

export function ofKind<K extends TapeLine["kind"]>(lines: TapeLine[], kind: K): Extract<TapeLine, { kind: K }>[] {
  return lines.filter((l): l is Extract<TapeLine, { kind: K }> => l.kind === kind);
}
