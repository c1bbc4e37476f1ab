/**
 * Start-up: a command loads only the heavy modules its path needs (issue 19). Help and the
 * version are printed from the copy the build rendered with commander (src/cli/start.ts), so
 * they load no library at all; zod is for explaining a bad tape line, yaml for reading YAML,
 * and replaying a good tape never needs zod. Checked on the built CLI: every file of dist/ the
 * loader resolves, and the sources the bundler put into each (dist/.meta.json, scripts/build.mjs).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { helpArgs } from "../../src/cli/main.js";
import { tempDir } from "../helpers/temp-dir.js";
import { BIN, ROOT, runCli, type CliResult } from "./run-cli.js";

const MARK = "mcptape-test-loaded ";
/** After MARK: resolved as an ES module (the loader hook), not required (the preload). */
const MODULE = "module ";

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/**
 * The source files (paths from the repository root) bundled into the files of dist/ a run of
 * the CLI loaded, and the CommonJS files it required (libraries kept out of the bundle and
 * required on use; a preload lists them at exit), and what it printed.
 */
function loadedBy(args: string[]): CliResult & { loaded: string[]; modules: string[] } {
  const dir = tempDir("lazy");
  const hooks = join(dir, "hooks.mjs");
  // The hooks run on a thread of their own from Node 22 on; a write to fd 2 is synchronous
  // there, where process.stderr's could still be queued when the process exits (seen on Node 24).
  writeFileSync(hooks, `import { writeSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  writeSync(2, ${JSON.stringify(MARK + MODULE)} + resolved.url + "\\n");
  return resolved;
}\n`);
  const register = join(dir, "register.mjs");
  writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const required = join(dir, "required.cjs");
  writeFileSync(required, `process.on("exit", () => { for (const file of Object.keys(require.cache)) process.stderr.write(${JSON.stringify(MARK)} + require("node:url").pathToFileURL(file).href + "\\n"); });\n`);
  const r = spawnSync(process.execPath, ["--require", required, "--import", pathToFileURL(register).href, BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", CI: "true" } });
  const marked = r.stderr.split("\n").filter((l) => l.startsWith(MARK)).map((l) => l.slice(MARK.length));
  const path = (url: string): string => relative(ROOT, fileURLToPath(url));
  const files = marked.map((l) => (l.startsWith(MODULE) ? l.slice(MODULE.length) : l)).filter((url) => url.startsWith("file:"));
  const built = [...new Set(files.map(path))];
  expect(built).toContain(join("dist", "cli", "start.cjs")); // the preload saw the CLI start
  // The built files resolved as ES modules (the entry and start.cjs are CommonJS; with a loader
  // hook registered Node resolves the main script through it too, so bin/ is not counted).
  const modules = [...new Set(marked.filter((l) => l.startsWith(MODULE + "file:")).map((l) => path(l.slice(MODULE.length))))].filter((f) => f.startsWith("dist"));
  const meta = JSON.parse(readFileSync(join(ROOT, "dist", ".meta.json"), "utf8")) as Metafile;
  // A library left outside the bundle is loaded from node_modules itself: count it too.
  const loaded = built.flatMap((file) => (file.startsWith("dist") ? Object.keys(meta.outputs[file]?.inputs ?? {}) : [file]));
  const stderr = r.stderr.split("\n").filter((l) => !l.startsWith(MARK)).join("\n");
  return { loaded, modules, code: r.status ?? -1, stdout: r.stdout, stderr };
}

const from = (pkg: string) => (source: string) => source.includes(`node_modules/${pkg}/`);

describe("help and version: the build's copy, or commander", () => {
  it.each(helpArgs().map((args) => [args]))("mcptape %j prints commander's text byte for byte without loading commander or main.js", async (args) => {
    const fast = loadedBy(args);
    expect(fast.loaded.filter((s) => s.includes("node_modules/"))).toEqual([]);
    expect(fast.loaded).not.toContain("src/cli/main.ts");
    // No ES module of ours: help starts no ES module loader work (about 5 ms).
    expect(fast.modules).toEqual([]);
    const commander = await runCli(args);
    expect(commander.code).toBe(0);
    expect(fast).toEqual({ ...commander, loaded: fast.loaded, modules: fast.modules });
  });

  // What is not exactly a help form is commander's to answer: an error, or help it chooses to print.
  it.each([[["help", "nosuchcommand"]], [["replay", "--help", "extra"]], [["--helpx"]], [["help", "replay", "extra"]], [["help", "--help"]], [["replay --help"]]])("mcptape %j goes through commander as before", async (args) => {
    const slow = loadedBy(args);
    expect(slow.loaded.some(from("commander"))).toBe(true);
    expect(slow.modules).toContain(join("dist", "cli", "main.js"));
    expect(slow).toEqual({ ...(await runCli(args)), loaded: slow.loaded, modules: slow.modules });
  });
});

describe("what a command loads", () => {
  it("replaying good tapes does not load zod (it explains bad lines only)", () => {
    const { loaded, code } = loadedBy(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--format", "json"]);
    expect(code).toBe(0);
    expect(loaded.filter(from("zod"))).toEqual([]);
    expect(loaded.some(from("yaml"))).toBe(true); // the policy is YAML: this path does need it
  });

  it("chalk (colours) loads only for a text report, not for json or validate", () => {
    const json = loadedBy(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--format", "json"]);
    expect(json.code).toBe(0);
    expect(json.loaded.filter(from("chalk"))).toEqual([]);
    const validate = loadedBy(["validate", "fixtures/policies/demo.yaml"]);
    expect(validate.code).toBe(0);
    expect(validate.loaded.filter(from("chalk"))).toEqual([]);
    const text = loadedBy(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--format", "text"]);
    expect(text.code).toBe(0);
    expect(text.loaded.some(from("chalk"))).toBe(true);
  });

  it("a bad tape line loads zod to say what is wrong", () => {
    const dir = tempDir("lazy-bad");
    const tape = join(dir, "bad.jsonl");
    writeFileSync(tape, '{"kind":"header","tape":1,"id":"x","t":"2026-02-30T00:00:00.000Z","recorder":{"name":"a","version":"1"},"transport":"hand"}\n');
    const { loaded, code, stderr } = loadedBy(["replay", tape, "-p", "fixtures/policies/demo.yaml", "--format", "json"]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${tape}:1:`);
    expect(stderr).toContain("not a real date and time");
    expect(loaded.some(from("zod"))).toBe(true);
  });

  it("re2js (Go's regexes) loads only for a policy that has a pattern beyond plain text", () => {
    const plain = loadedBy(["validate", "fixtures/policies/scenario-limits.yaml"]);
    expect(plain.code).toBe(0);
    expect(plain.loaded.filter(from("re2js"))).toEqual([]);
    const text = join(tempDir("lazy-text"), "text.yaml");
    writeFileSync(text, 'version: "1"\ntools:\n  read_file:\n    rules:\n      - name: under srv\n        conditions:\n          - { path: args.path, op: regex, value: "^/srv/" }\n');
    const literal = loadedBy(["validate", text]);
    expect(literal.code).toBe(0);
    expect(literal.loaded.filter(from("re2js"))).toEqual([]);
    const patterned = loadedBy(["validate", "fixtures/policies/demo.yaml"]);
    expect(patterned.code).toBe(0);
    expect(patterned.loaded.some(from("re2js"))).toBe(true);
  });
});
