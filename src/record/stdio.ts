/**
 * `mcptape record -o TAPE -- CMD [ARGS...]`: a byte-transparent stdio proxy in front of an MCP
 * server that writes every line both ways to a tape.
 *
 * The SDK's stdio transports drop lines that are not JSON, messages with unknown keys and
 * batch arrays, so nothing here uses them: chunks are forwarded exactly as read, and a copy
 * is split into lines for the tape. The server runs in its own process group so the stop
 * signals (SIGINT, SIGTERM, SIGHUP) reach it (and whatever it started) through us, and the
 * recorder never writes a byte of its own to stdout: diagnostics go to stderr.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { constants as osConstants } from "node:os";
import type { Readable, Writable } from "node:stream";
import { InputError } from "../errors.js";
import { Redactor, type RedactOptions } from "../tape/redact.js";
import { VERSION } from "../version.js";
import { LineFramer, withoutCr } from "./line-framer.js";
import { RecordingTape } from "./recording-tape.js";
import { STOP_SIGNALS } from "./stop-signals.js";
import { Valve } from "./valve.js";

export interface RecordStdioOptions {
  tape: string;
  /** The server command and its arguments. */
  command: string[];
  /** Who is calling, written on the session line. */
  identity?: string;
  redact: RedactOptions;
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** The server's environment: ours, whole, unless given. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long the server gets to exit after its stdin closes (or after a forwarded signal) before SIGTERM (SIGKILL). */
  graceMs?: number;
  /** Forward SIGINT/SIGTERM/SIGHUP sent to this process to the server (on by default; off for in-process tests). */
  forwardSignals?: boolean;
}

type EndReason = "closed" | "server-exit" | "signal" | "error";

// Below the 2 s the SDK's StdioClientTransport waits before it SIGTERMs us.
const DEFAULT_GRACE_MS = 1000;

/** Runs the server behind the recorder until the session ends; returns the exit code to exit with. */
export async function recordStdio(opts: RecordStdioOptions): Promise<number> {
  const [file, ...args] = opts.command;
  if (file === undefined || file === "") {
    throw new InputError("record needs the server command after --", undefined, "write it like: mcptape record -o session.jsonl -- node server.js");
  }
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const redactor = new Redactor(opts.redact);

  const id = randomUUID();
  const tape = await RecordingTape.open(opts.tape, {
    id,
    recorder: { name: "mcptape", version: VERSION },
    transport: "stdio",
    upstream: { command: redactor.redactCommand(opts.command) },
    redaction: redactor.describe(),
  }, redactor.init, (text) => stderr.write(`mcptape: ${text}\n`));
  const session = `stdio-${id.slice(0, 8)}`;
  tape.session({ session, identity: opts.identity });

  let child: ChildProcess;
  try {
    child = await startServer(file, args, opts);
  } catch (err) {
    await tape.discard();
    throw new InputError(
      `cannot start the server ${JSON.stringify(file)}: ${(err as Error).message}`,
      undefined,
      "check the command after -- (it runs without a shell)",
    );
  }

  return new Promise<number>((resolve) => {
    let reason: EndReason | undefined;
    let killedAfterClose = false;
    const timers: NodeJS.Timeout[] = [];
    // Forwarding frames the lines and hands them to the tape; the taping happens on its own thread.
    const c2s = new LineFramer((line, own) => tape.line(session, "c2s", withoutCr(line), { own }));
    const s2c = new LineFramer((line, own) => tape.line(session, "s2c", withoutCr(line), { own }));
    const errLines = new LineFramer((line, own) => tape.line(session, "stderr", withoutCr(line), { own }));
    const serverIn = child.stdin!;
    const serverOut = child.stdout!;
    const serverErr = child.stderr!;
    const fromClient = new Valve(stdin);
    const fromServer = new Valve(serverOut);
    const unthrottle = [fromClient, fromServer, new Valve(serverErr)].map((v) => tape.throttle(v));

    const signalGroup = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        try {
          child.kill(sig);
        } catch {
          // Already gone.
        }
      }
    };
    /** SIGTERM after the grace period, SIGKILL after another. */
    const escalate = (first: NodeJS.Signals): void => {
      timers.push(setTimeout(() => {
        if (reason === "closed") killedAfterClose = true;
        signalGroup(first);
      }, graceMs).unref());
      timers.push(setTimeout(() => signalGroup("SIGKILL"), 2 * graceMs + 500).unref());
    };

    // Client -> server.
    const onStdinData = (chunk: Buffer): void => {
      fromClient.pass(chunk, serverIn);
      c2s.push(chunk);
    };
    const onStdinEnd = (): void => {
      c2s.end();
      reason ??= "closed";
      serverIn.end();
      escalate("SIGTERM");
    };
    stdin.on("data", onStdinData);
    stdin.once("end", onStdinEnd);
    stdin.on("error", (err) => stderr.write(`mcptape: reading stdin: ${err.message}\n`));
    serverIn.on("error", () => {
      // EPIPE after the server exited: its exit ends the session.
    });

    // Server -> client.
    serverOut.on("data", (chunk: Buffer) => {
      fromServer.pass(chunk, stdout);
      s2c.push(chunk);
    });
    stdout.on("error", () => {
      // The client went away without closing stdin first: treat it as the client closing.
      if (reason === undefined) onStdinEnd();
    });
    serverErr.on("data", (chunk: Buffer) => {
      stderr.write(chunk);
      errLines.push(chunk);
    });

    const onSignal = (sig: NodeJS.Signals): void => {
      reason ??= "signal";
      signalGroup(sig);
      escalate("SIGKILL");
    };
    const forward = opts.forwardSignals !== false;
    if (forward) for (const sig of STOP_SIGNALS) process.on(sig, onSignal);

    // A process the server started may hold its stdout open after the server exited: after the
    // grace period, stop it (it is in the server's group) and stop waiting, so 'close' comes.
    child.once("exit", () => {
      timers.push(setTimeout(() => {
        signalGroup("SIGTERM");
        serverOut.destroy();
        serverErr.destroy();
      }, graceMs).unref());
    });

    // 'close' comes after the server's stdout and stderr are drained, so every line is handed over.
    child.once("close", (code, signal) => {
      for (const t of timers) clearTimeout(t);
      for (const off of unthrottle) off();
      stdin.off("data", onStdinData);
      stdin.off("end", onStdinEnd);
      stdin.pause();
      if (stdin === process.stdin) process.stdin.destroy();
      c2s.end();
      s2c.end();
      errLines.end();
      const exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : null);
      tape.ensureSession(session);
      // A server we had to stop after the client left did nothing wrong: that is a clean end.
      const finish = (): void => resolve(killedAfterClose ? 0 : (exitCode ?? 1));
      // The stop signals stay caught until the tape is whole: the worker may still be writing.
      void tape.close({ reason: reason ?? "server-exit", exitCode }).then(() => {
        if (forward) for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
        if (stdout === process.stdout) finish();
        else stdout.end(finish);
      });
    });
  });
}

/** Spawns the server in its own process group; resolves once it runs, rejects if it cannot start. */
function startServer(file: string, args: string[], opts: RecordStdioOptions): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // The server gets our whole environment but the redaction key: it has no use for it, and
    // a server that echoes its environment (get-env) would print it.
    const { MCPTAPE_REDACT_KEY: _key, ...env } = opts.env ?? process.env;
    const child = spawn(file, args, {
      env,
      cwd: opts.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child.once("error", reject);
    child.once("spawn", () => {
      child.off("error", reject);
      child.on("error", () => {
        // Errors after the start (a failed kill) surface as the exit.
      });
      resolve(child);
    });
  });
}
