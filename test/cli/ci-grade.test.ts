/**
 * A CI gate never passes on a typo and never leaves a half-written report (issue 15): EPIPE on
 * help, errors on stderr naming the argument given, the line a failing run prints, report
 * files replaced whole or not at all (a real process, a real SIGINT), JUnit on long tapes.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, constants, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../fuzz/helpers.js";
import { BIN, ROOT } from "./run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const DEMO = join(ROOT, "fixtures/policies/demo.yaml");
const TAPES = join(ROOT, "fixtures/tapes");
const GOOD = readFileSync(join(ROOT, "test/bad-input/base/good-tape.jsonl"), "utf8");

/** A good tape of `n` calls of one session, a second apart. */
function longTape(n: number): string {
  const lines = [GOOD.split("\n")[0]!, GOOD.split("\n")[1]!];
  const t0 = Date.parse("2026-01-01T00:00:01Z");
  for (let i = 1; i <= n; i++) {
    lines.push(`{"kind":"call","seq":${i},"t":"${new Date(t0 + i * 1000).toISOString()}","session":"s1","tool":"echo","args":{"message":"m"},"outcome":"ok","latencyMs":1}`);
  }
  lines.push(`{"kind":"end","t":"${new Date(t0 + (n + 1) * 1000).toISOString()}","messages":${n},"reason":"closed"}`);
  return lines.join("\n") + "\n";
}

let dir: string;
beforeEach(() => {
  dir = tempDir("ci-grade");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = captureIo();
  const code = await main(["node", "mcptape", ...args], io);
  return { code, out: io.out(), err: io.err() };
}

/** Runs the built CLI with its stdout closed before it writes anything: every write meets EPIPE. */
function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", CI: "true" } });
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stderr })));
}

describe("output to a reader that went away", () => {
  it.each([[["help", "replay"]], [["replay", "--help"]], [["replay", TAPES, "-p", DEMO]]])("mcptape %j | head: a normal end, no stack trace", async (args) => {
    const r = await withClosedStdout(args);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.code).toBe(0);
  });
});

describe("errors name the argument the user gave, on stderr", () => {
  it("validate of a missing file: on stderr, naming validate's argument, not -p/--policy", async () => {
    const r = await cli("validate", join(dir, "nope.yaml"));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, "nope.yaml")}: error: cannot read policy: no such file; check the path given to validate`);
    expect(r.out).not.toContain("cannot read");
  });

  it("a folder passed as a policy says it is a folder, never a raw EISDIR", async () => {
    const r = await cli("replay", TAPES, "-p", dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain("cannot read policy: it is a folder, not a file; check the path given with -p/--policy");
    expect(r.err).not.toContain("EISDIR");
  });

  it("fuzz --against nope.yaml blames --against", async () => {
    await expect(cli("fuzz", "-p", DEMO, "--against", join(dir, "nope.yaml"))).resolves.toMatchObject({
      code: 2,
      err: expect.stringContaining("no such file; check the path given with --against") as unknown,
    });
  });
});

describe("no false pass from a typo", () => {
  const paths = () => {
    writeFileSync(join(dir, "paths.yaml"), 'version: "1"\ntools:\n  read_file:\n    rules:\n      - name: only under /srv\n        conditions:\n          - { path: args.path, op: regex, value: "^/srv/" }\n');
    return join(dir, "paths.yaml");
  };

  it("fuzz --tool read_flie: exit 2 with the known tools and a did-you-mean", async () => {
    const r = await cli("fuzz", "-p", paths(), "--tool", "read_flie", "--forbid", 'args.path contains ".."', "--runs", "10");
    expect(r.code).toBe(2);
    expect(r.err).toContain('--tool "read_flie" is not a tool this run knows (known tools: read_file); did you mean --tool read_file?');
  });

  it("fuzz --forbid 'args.paht ...': exit 2, the path no tool takes, with a did-you-mean", async () => {
    const r = await cli("fuzz", "-p", paths(), "--forbid", 'args.paht contains ".."', "--runs", "10");
    expect(r.code).toBe(2);
    expect(r.err).toContain("no tool fuzzed has an argument `paht`");
    expect(r.err).toContain("did you mean args.path?");
  });

  it("validate a PolicyLayer file under --dialect intercept: exit 2 saying what it looks like and what to write", async () => {
    const r = await cli("validate", join(ROOT, "fixtures/policies/seed-mcp-ap2.policylayer.json"), "--dialect", "intercept");
    expect(r.code).toBe(2);
    expect(r.out).toContain("looks like a PolicyLayer policy (it has `tools`), not the intercept dialect asked for; write --dialect policylayer");
  });
});

describe("a failing run says why in one line", () => {
  it("--fail-on names each outcome and its count", async () => {
    const r = await cli("replay", TAPES, "-p", DEMO, "--fail-on", "deny,changed", "--format", "json");
    expect(r.code).toBe(1);
    expect(r.err).toContain("mcptape: --fail-on deny,changed: 8 calls failed the run (3 deny, 5 changed)\n");
  });

  it("--coverage-threshold names the percentage and the threshold", async () => {
    const r = await cli("replay", TAPES, "-p", DEMO, "--coverage-threshold", "90", "--format", "json");
    expect(r.code).toBe(1);
    expect(r.err).toContain("mcptape: --coverage-threshold 90: 71.4% of rules decided a call (5 of 7), below the threshold\n");
  });

  it("diff --fail-on-change and --fail-on-loosen each name their count", async () => {
    const r = await cli("diff", TAPES, "--base", DEMO, "--head", join(ROOT, "fixtures/policies/demo-loosened.yaml"), "--fail-on-change", "--fail-on-loosen", "--format", "json");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/mcptape: --fail-on-change: \d+ decisions changed\nmcptape: --fail-on-loosen: \d+ refused calls became allowed\n/);
  });

  it("a run that passes prints no failure line", async () => {
    const r = await cli("replay", TAPES, "-p", DEMO, "--fail-on", "approval", "--format", "json", "--approvals", "deny");
    expect(r.code).toBe(0);
    expect(r.err).not.toContain("failed the run");
  });
});

describe("a folder of tapes with one bad tape", () => {
  const folder = () => {
    const tapes = join(dir, "tapes");
    mkdirSync(tapes);
    writeFileSync(join(tapes, "a.jsonl"), GOOD);
    writeFileSync(join(tapes, "b.jsonl"), GOOD.replace('"kind":"end"', '"kind":"end",'));
    writeFileSync(join(tapes, "c.jsonl"), GOOD);
    return tapes;
  };

  it("replay checks every tape before writing: no partial JSON on stdout, the bad tape named, exit 2", async () => {
    const r = await cli("replay", folder(), "-p", DEMO, "--format", "json");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(`${join(dir, "tapes", "b.jsonl")}:5:`);
  });

  it("diff does the same", async () => {
    const r = await cli("diff", folder(), "--base", DEMO, "--head", DEMO, "--format", "json");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(`${join(dir, "tapes", "b.jsonl")}:5:`);
  });
});

describe("report files are replaced whole or not at all", () => {
  it("a run stopped by a bad tape leaves the previous -o and --report files as they were, and no temporary file", async () => {
    const tapes = join(dir, "tapes");
    mkdirSync(tapes);
    writeFileSync(join(tapes, "a.jsonl"), GOOD);
    writeFileSync(join(tapes, "b.jsonl"), GOOD.replace('"kind":"end"', '"kind":"end",'));
    writeFileSync(join(dir, "out.json"), "previous json\n");
    writeFileSync(join(dir, "out.xml"), "previous xml\n");
    const r = await cli("replay", tapes, "-p", DEMO, "--format", "json", "-o", join(dir, "out.json"), "--report", `junit=${join(dir, "out.xml")}`);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, "out.json"), "utf8")).toBe("previous json\n");
    expect(readFileSync(join(dir, "out.xml"), "utf8")).toBe("previous xml\n");
    expect(readdirSync(dir).sort()).toEqual(["out.json", "out.xml", "tapes"]);
  });

  const folderWithTwoBad = () => {
    const tapes = join(dir, "tapes");
    mkdirSync(tapes);
    writeFileSync(join(tapes, "a.jsonl"), GOOD);
    writeFileSync(join(tapes, "b.jsonl"), GOOD.replace('"kind":"end"', '"kind":"end",'));
    writeFileSync(join(tapes, "c.jsonl"), GOOD.replace('"kind":"end"', '"kind":"end",'));
    return tapes;
  };

  describe.each([
    { command: "replay", policies: ["-p", DEMO] },
    { command: "diff", policies: ["--base", DEMO, "--head", DEMO] },
  ])("$command", ({ command, policies }) => {
    it.each([
      ["on the main thread", []],
      ["on worker threads", ["--jobs", "2"]],
    ])("with every output a file, a bad tape met on the way is reported as a check first reports it, %s: every bad tape named, no file written", async (_, jobs) => {
      const tapes = folderWithTwoBad();
      const r = await cli(command, tapes, ...policies, "--format", "json", ...jobs, "-o", join(dir, "out.json"));
      expect(r.code).toBe(2);
      expect(r.err).toContain("2 of 3 tapes cannot be replayed, so nothing was written");
      expect(r.err).toContain(`${join(tapes, "b.jsonl")}:5:`);
      expect(r.err).toContain(`${join(tapes, "c.jsonl")}:5:`);
      expect(readdirSync(dir).sort()).toEqual(["tapes"]);
    });

    it("to the null device the same: nothing is left cut for anyone to read, and /dev/null stays the device", async () => {
      const tapes = folderWithTwoBad();
      const r = await cli(command, tapes, ...policies, "--format", "json", "-o", "/dev/null");
      expect(r.code).toBe(2);
      expect(r.err).toContain("2 of 3 tapes cannot be replayed, so nothing was written");
      expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    });

    it("to a pipe, which a reader reads as it comes, every tape is checked first: the reader gets nothing", async () => {
      const tapes = folderWithTwoBad();
      const fifo = join(dir, "out.fifo");
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
      let read = "";
      const reading = new Promise<void>((resolve, reject) => {
        createReadStream(fifo, "utf8").on("data", (d) => (read += String(d))).on("end", resolve).on("error", reject);
      });
      const r = await cli(command, tapes, ...policies, "--format", "json", "-o", fifo);
      // The check failed before the pipe was opened: open and close it from this side so the reader
      // ends (without blocking, in case the run did open it and the reader is gone). The reader's own
      // open runs on libuv's thread pool and may not have reached the pipe yet (it then fails with
      // ENXIO here): try again until it has, or until the reader has ended.
      let ended = false;
      void reading.then(() => (ended = true), () => (ended = true));
      for (let tries = 0; !ended && tries < 1000; tries++) {
        try {
          closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      await reading;
      expect(r.code).toBe(2);
      expect(r.err).toContain("2 of 3 tapes cannot be replayed, so nothing was written");
      expect(read).toBe("");
    });
  });

  it("-o and --report into folders that do not exist yet (a fresh CI checkout): the folders are made, the reports written", async () => {
    const r = await cli("replay", TAPES, "-p", DEMO, "--format", "json", "-o", join(dir, "reports", "replay.json"), "--report", `junit=${join(dir, "out", "ci", "junit.xml")}`);
    expect(r.code).toBe(0);
    expect((JSON.parse(readFileSync(join(dir, "reports", "replay.json"), "utf8")) as { summary: { calls: number } }).summary.calls).toBe(22);
    expect(readFileSync(join(dir, "out", "ci", "junit.xml"), "utf8")).toMatch(/^<\?xml/);
  });

  it("a run stopped by a bad tape leaves no folder made for its reports, and keeps the folders that were there", async () => {
    const tapes = folderWithTwoBad();
    mkdirSync(join(dir, "kept"));
    const r = await cli("replay", tapes, "-p", DEMO, "--format", "json", "-o", join(dir, "new", "deep", "out.json"), "--report", `junit=${join(dir, "kept", "sub", "junit.xml")}`);
    expect(r.code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(["kept", "tapes"]);
    expect(readdirSync(join(dir, "kept"))).toEqual([]);
  });

  it("the same with paths relative to the working folder (a real process): an empty folder that was there stays", () => {
    folderWithTwoBad();
    mkdirSync(join(dir, "kept"));
    const r = spawnSync(process.execPath, [BIN, "replay", "tapes", "-p", DEMO, "--format", "json", "-o", "new/deep/out.json", "--report", "junit=./kept/sub/../sub/junit.xml"], { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(["kept", "tapes"]);
    expect(readdirSync(join(dir, "kept"))).toEqual([]);
  });

  it("-o below a file is bad input in words: a folder on its path is a file", async () => {
    writeFileSync(join(dir, "plain"), "x");
    const r = await cli("replay", TAPES, "-p", DEMO, "--format", "json", "-o", join(dir, "plain", "out.json"));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot write ${join(dir, "plain", "out.json")}: a folder on its path is a file`);
    expect(r.err).not.toMatch(/ENOTDIR|\n\s+at /);
  });

  it("a finished run replaces the file", async () => {
    writeFileSync(join(dir, "out.json"), "previous\n");
    expect((await cli("replay", TAPES, "-p", DEMO, "--format", "json", "-o", join(dir, "out.json"))).code).toBe(0);
    expect((JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as { summary: { calls: number } }).summary.calls).toBe(22);
    expect(readdirSync(dir)).toEqual(["out.json"]);
  });

  it("SIGINT during replay --format junit -o leaves the previous file untouched (a real process, a real signal)", async () => {
    // A tape long enough that the replay is still writing its report (seconds) when the signal comes.
    const tape = join(dir, "long.jsonl");
    writeFileSync(tape, longTape(200_000));
    const out = join(dir, "part.xml");
    writeFileSync(out, "<previous/>\n");
    const child = spawn(process.execPath, [BIN, "replay", tape, "-p", DEMO, "--format", "junit", "-o", out], { cwd: ROOT, stdio: "ignore" });
    try {
      const deadline = Date.now() + 20_000;
      while (!readdirSync(dir).some((f) => f.endsWith(".tmp")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(readdirSync(dir).some((f) => f.startsWith(".part.xml.") && f.endsWith(".tmp"))).toBe(true);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
      child.kill("SIGINT");
      expect(await exited).toBe("SIGINT");
    } finally {
      child.kill("SIGKILL");
    }
    expect(readFileSync(out, "utf8")).toBe("<previous/>\n");
    expect(readdirSync(dir).sort()).toEqual(["long.jsonl", "part.xml"]);
  }, 30_000);
});

// /dev/full takes no byte: every write to it fails with ENOSPC, as on a full disk (Linux).
describe.skipIf(!existsSync("/dev/full"))("a write that fails (a full disk) is said, exit 2, never an internal error", () => {
  it.each([
    ["replay", ["replay", TAPES, "-p", DEMO]],
    ["diff", ["diff", TAPES, "--base", DEMO, "--head", DEMO]],
    ["test", ["test", join(ROOT, "scenarios/windows.yaml"), "--format", "junit"]],
  ])("%s -o /dev/full", async (_, args) => {
    const r = await cli(...args, "-o", "/dev/full");
    expect(r.code).toBe(2);
    expect(r.err).toBe("mcptape: /dev/full: error: cannot write /dev/full: no space left on device; free some space, or write the report elsewhere\n");
  });

  /** `mcptape ARGS` as a real process whose standard output is /dev/full. */
  function toFullDisk(args: string[]): { status: number | null; stderr: string } {
    const full = openSync("/dev/full", "w");
    try {
      return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", full, "pipe"], encoding: "utf8" });
    } finally {
      closeSync(full);
    }
  }

  it.each([
    ["replay", ["replay", TAPES, "-p", DEMO]],
    ["init", ["init", "--tools", join(TAPES, "everything.jsonl")]],
  ])("%s to standard output on a full disk (a real process): said, exit 2, no stack trace", (_, args) => {
    const r = toFullDisk(args);
    expect(r.stderr).toBe("mcptape: error: cannot write standard output: no space left on device; free some space, or write the report elsewhere\n");
    expect(r.status).toBe(2);
  });

  it.each([[["--help"]], [["replay", "--help"]], [["--version"]]])("mcptape %j (help printed from the build's copy) on a full disk: said, exit 2, no stack trace", (args) => {
    const r = toFullDisk(args);
    expect(r.stderr).toBe("mcptape: error: cannot write standard output: no space left on device; free some space, or write the help elsewhere\n");
    expect(r.status).toBe(2);
  });

  it("one report that cannot be written leaves the run's other reports as they were (-o and results files too)", async () => {
    writeFileSync(join(dir, "out.json"), "previous json\n");
    writeFileSync(join(dir, "results.jsonl"), "previous results\n");
    const r = await cli("replay", TAPES, "-p", DEMO, "--format", "json", "-o", join(dir, "out.json"), "--report", `results=${join(dir, "results.jsonl")}`, "--report", "junit=/dev/full");
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, "out.json"), "utf8")).toBe("previous json\n");
    expect(readFileSync(join(dir, "results.jsonl"), "utf8")).toBe("previous results\n");
    expect(readdirSync(dir).sort()).toEqual(["out.json", "results.jsonl"]);
  });
});

describe("replay --format junit on long tapes", () => {
  it("150,000 calls in one tape: every case written, counts in the tags (once a RangeError from one spread push)", async () => {
    const n = 150_000;
    const tape = join(dir, "long.jsonl");
    writeFileSync(tape, longTape(n));
    const out = join(dir, "long.xml");
    const r = await cli("replay", tape, "-p", DEMO, "--format", "junit", "-o", out);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const xml = readFileSync(out, "utf8");
    expect(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mcptape replay ${DEMO}" tests="${n}" failures="0">\n  <testsuite name="${tape}" tests="${n}" failures="0">\n`)).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(n);
    expect(xml.endsWith("  </testsuite>\n</testsuites>\n")).toBe(true);
    expect(existsSync(join(dir, "long.xml"))).toBe(true);
  }, 60_000);
});
