/**
 * How tapes are named on the command line (replay, diff, --shard, scenario `tapes:`): files as
 * given, folders as every `.jsonl` below them. Corpora laid out as links (Bazel runfiles, Nix,
 * git-annex, a hand-made folder of `ln -s`) are read as the files the links point to.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unitsOf } from "../../src/shard/partition.js";
import { expandTapePaths } from "../../src/tape/paths.js";
import { parseTape } from "../../src/tape/parse-text.js";
import { BIN, ROOT, runCli } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { inputErrorOf } from "../helpers/input-error.js";

const EVERYTHING = join(ROOT, "fixtures/tapes/everything.jsonl");
const FILESYSTEM = join(ROOT, "fixtures/tapes/filesystem.jsonl");
const POLICY = join(ROOT, "fixtures/policies/demo.yaml");

/** A folder `real` holding the two fixture tapes, in a fresh temporary folder. */
function corpus(): { root: string; real: string } {
  const root = tempDir("paths");
  const real = join(root, "real");
  mkdirSync(real);
  copyFileSync(EVERYTHING, join(real, "t0.jsonl"));
  copyFileSync(FILESYSTEM, join(real, "t1.jsonl"));
  return { root, real };
}

describe("tapes that are links", () => {
  it("reads a folder whose tapes are links as the files they point to, named by the links", () => {
    const { root } = corpus();
    const dir = join(root, "links");
    mkdirSync(dir);
    symlinkSync("../real/t1.jsonl", join(dir, "b.jsonl"));
    symlinkSync("../real/t0.jsonl", join(dir, "a.jsonl"));
    expect(expandTapePaths([dir])).toEqual([join(dir, "a.jsonl"), join(dir, "b.jsonl")]);
  });

  it("walks a linked folder inside a folder, in name order with the folder's own tapes", () => {
    const { root } = corpus();
    const dir = join(root, "mixed");
    mkdirSync(dir);
    copyFileSync(FILESYSTEM, join(dir, "own.jsonl"));
    symlinkSync("../real", join(dir, "linked"));
    expect(expandTapePaths([dir])).toEqual([join(dir, "linked/t0.jsonl"), join(dir, "linked/t1.jsonl"), join(dir, "own.jsonl")]);
  });

  it("does not walk again a link back to a folder it is walking (a loop would never end)", () => {
    const { real } = corpus();
    symlinkSync(".", join(real, "self"));
    symlinkSync("..", join(real, "parent"));
    const found = expandTapePaths([real]);
    expect(found).toEqual([join(real, "t0.jsonl"), join(real, "t1.jsonl")]);
  });

  it("refuses a tape link that points nowhere (a git-annex file not fetched), naming it and where it points", () => {
    const { real } = corpus();
    symlinkSync("../.git/annex/objects/t2.jsonl", join(real, "t2.jsonl"));
    const err = inputErrorOf(() => expandTapePaths([real]));
    expect(err.file).toBe(join(real, "t2.jsonl"));
    expect(err.message).toBe(`${join(real, "t2.jsonl")} is a link to ../.git/annex/objects/t2.jsonl, which does not exist`);
    expect(err.hint).toContain("git annex get");
  });

  it("refuses a tape link that leads round in a loop of links", () => {
    const { real } = corpus();
    symlinkSync("t3.jsonl", join(real, "t2.jsonl"));
    symlinkSync("t2.jsonl", join(real, "t3.jsonl"));
    expect(inputErrorOf(() => expandTapePaths([real])).message).toContain("is a link to t3.jsonl, which leads round in a loop of links");
  });

  it("passes over a link that points nowhere under a name that is not a tape's", () => {
    const { real } = corpus();
    symlinkSync("gone", join(real, "notes.txt"));
    expect(expandTapePaths([real])).toHaveLength(2);
  });

  it("shards a linked tape by the link's path and the size of the file it points to, the same on every runner", () => {
    // Two runners whose links point into different stores (a Nix or Bazel output path differs
    // per machine): the units, and so the partition, are the same.
    const units = [1, 2].map(() => {
      const { real } = corpus();
      const dir = join(real, "..", "tapes");
      mkdirSync(dir);
      symlinkSync(join(real, "t0.jsonl"), join(dir, "t0.jsonl"));
      return unitsOf(expandTapePaths([dir])).map((u) => ({ path: u.path.slice(dir.length), bytes: u.bytes }));
    });
    expect(units[0]).toEqual([{ path: "/t0.jsonl", bytes: statSync(EVERYTHING).size }]);
    expect(units[1]).toEqual(units[0]);
  });

  it("replays a folder of links as it replays the folder they point to", async () => {
    const { root, real } = corpus();
    const dir = join(root, "links");
    mkdirSync(dir);
    symlinkSync("../real/t0.jsonl", join(dir, "t0.jsonl"));
    symlinkSync("../real/t1.jsonl", join(dir, "t1.jsonl"));
    const viaLinks = await runCli(["replay", dir, "-p", POLICY, "--format", "json"]);
    const direct = await runCli(["replay", real, "-p", POLICY, "--format", "json"]);
    expect(viaLinks.stderr).toBe("");
    expect(viaLinks.code).toBe(direct.code);
    expect(JSON.parse(viaLinks.stdout)).toEqual(JSON.parse(direct.stdout));
  });
});

describe("what a folder holds", () => {
  it("leaves out hidden names: .git, macOS ._ files and an editor's .# lock", () => {
    const { real } = corpus();
    mkdirSync(join(real, ".git/annex"), { recursive: true });
    copyFileSync(EVERYTHING, join(real, ".git/annex/t0.jsonl"));
    writeFileSync(join(real, "._t0.jsonl"), "\u0000\u0005\u0016\u0007 Mac OS X");
    symlinkSync("root@host.4242", join(real, ".#t1.jsonl"));
    expect(expandTapePaths([real])).toEqual([join(real, "t0.jsonl"), join(real, "t1.jsonl")]);
  });

  it("reads a hidden tape named on the command line", () => {
    const { real } = corpus();
    copyFileSync(EVERYTHING, join(real, ".t2.jsonl"));
    expect(expandTapePaths([join(real, ".t2.jsonl")])).toEqual([join(real, ".t2.jsonl")]);
  });

  it("takes a tape named as a file and in its folder once, where first named", () => {
    const { real } = corpus();
    const t1 = join(real, "t1.jsonl");
    expect(expandTapePaths([t1, real])).toEqual([t1, join(real, "t0.jsonl")]);
  });

  it("takes two links to one tape once", () => {
    const { root } = corpus();
    const dir = join(root, "links");
    mkdirSync(dir);
    symlinkSync("../real/t0.jsonl", join(dir, "latest.jsonl"));
    symlinkSync("../real/t0.jsonl", join(dir, "monday.jsonl"));
    expect(expandTapePaths([dir, join(root, "real/t0.jsonl")])).toEqual([join(dir, "latest.jsonl")]);
  });

  it("refuses a compressed tape named as one, saying how to read it, instead of 'line is not valid UTF-8'", () => {
    const { real } = corpus();
    const packed = join(real, "t0.jsonl.gz");
    writeFileSync(packed, gzipSync(readFileSync(EVERYTHING)));
    const err = inputErrorOf(() => expandTapePaths([packed]));
    expect([err.file, err.message, err.hint]).toEqual([packed, "the tape is compressed; mcptape reads tapes as text", `read it through a pipe: <(zcat '${packed}')`]);
  });

  it("knows a compressed tape with no name to go by (standard input, a pipe) by its first bytes, not as 'line is not valid UTF-8'", () => {
    const tape = readFileSync(EVERYTHING);
    const gz = inputErrorOf(() => parseTape(gzipSync(tape), "stdin.jsonl"));
    expect([gz.message, gz.hint]).toEqual(["the tape is compressed (zcat unpacks it); mcptape reads tapes as text", "unpack it on the way in: zcat FILE | mcptape replay - …, or name <(zcat FILE)"]);
    // zstd's magic number, then bytes that are no UTF-8.
    const zst = inputErrorOf(() => parseTape(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0xff, 0x0a]), "63"));
    expect(zst.message).toBe("the tape is compressed (zstdcat unpacks it); mcptape reads tapes as text");
    // Bad bytes past the first line are not a compressed tape.
    const later = inputErrorOf(() => parseTape(Buffer.concat([tape.subarray(0, tape.indexOf(0x0a) + 1), gzipSync(tape)]), "t.jsonl"));
    expect(later.message).toBe("line is not valid UTF-8");
  });

  it("says a folder of compressed tapes holds no .jsonl tape because they are compressed, not 'record one'", () => {
    const dir = join(corpus().root, "archive");
    mkdirSync(dir);
    writeFileSync(join(dir, "t0.jsonl.zst"), "");
    const err = inputErrorOf(() => expandTapePaths([dir]));
    expect([err.message, err.hint]).toEqual([`no .jsonl tapes in folder ${dir}`, `the tapes below it are compressed: read each through a pipe, <(zstdcat '${join(dir, "t0.jsonl.zst")}')`]);
  });

  // Root reads every folder, so the tool is run as nobody (setpriv) when the tests run as root.
  const asRoot = process.getuid?.() === 0;
  const setpriv = spawnSync("setpriv", ["--version"]).status === 0;
  it.skipIf(asRoot && !setpriv)("says a folder it cannot list is unreadable: exit 2, no stack trace", () => {
    const { real } = corpus();
    const locked = join(real, "locked");
    mkdirSync(locked);
    copyFileSync(EVERYTHING, join(locked, "t2.jsonl"));
    chmodSync(locked, 0o000);
    chmodSync(join(real, ".."), 0o755);
    const user = asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];
    const command = [...user, process.execPath, BIN, "replay", real, "-p", POLICY];
    const r = spawnSync(command[0]!, command.slice(1), { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    chmodSync(locked, 0o755);
    expect(r.stderr).toBe(`mcptape: ${locked}: error: cannot read folder: permission denied; give a folder mcptape can list, or name its files\n`);
    expect(r.status).toBe(2);
  });
});
