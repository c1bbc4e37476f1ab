import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VALIDATE_RENDERERS, validatePolicies, type ValidateOptions } from "../../src/cli/validate.js";
import { detectDialect } from "../../src/policy/load.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT, runCli } from "../cli/run-cli.js";

const dir = tempDir("validate");

/** Validates once and renders in `format` (text unless given), as the command does. */
async function validate(
  files: string[], opts: ValidateOptions = {}, format: keyof typeof VALIDATE_RENDERERS = "text",
): Promise<{ output: string; exitCode: number; unreadable: string[] }> {
  const v = await validatePolicies(files, opts);
  return { output: VALIDATE_RENDERERS[format](v), exitCode: v.exitCode, unreadable: v.unreadable.map((u) => u.text) };
}
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("mcptape validate", () => {
  const clean = file("clean.yaml", 'version: "1"\ntools:\n  t:\n    rules: []\n');
  const warned = file("warned.yaml", 'version: "1"\ntools:\n  t:\n    rulez: []\n');
  const broken = file("broken.yaml", 'version: "2"\n');

  it("a clean policy exits 0", async () => {
    expect(await validate([clean], {})).toEqual({ output: `${clean}: ok\n`, exitCode: 0, unreadable: [] });
  });

  it("an error prints file:line:col and exits 2", async () => {
    const r = await validate([broken, clean], {});
    expect(r.exitCode).toBe(2);
    expect(r.output.split("\n")[0]).toBe(`${broken}:1:10: error: version must be "1", got "2"; write version: "1"`);
  });

  it("warnings alone exit 0, and 1 under --strict", async () => {
    expect((await validate([warned], {})).exitCode).toBe(0);
    expect((await validate([warned], { strict: true })).exitCode).toBe(1);
  });

  it("json output lists every diagnostic", async () => {
    const r = await validate([warned], {}, "json");
    expect(JSON.parse(r.output)).toEqual({
      diagnostics: [{ file: warned, line: 4, col: 5, severity: "warning", message: "unknown key `rulez` in tools.t (Intercept ignores it); did you mean `rules`?" }],
    });
  });

  it("a missing file is an error of the command (for stderr) naming validate's argument, not a crash", async () => {
    const r = await validate([join(dir, "nope.yaml")], {});
    expect(r.exitCode).toBe(2);
    expect(r.unreadable).toEqual([`${join(dir, "nope.yaml")}: error: cannot read policy: no such file; check the path given to validate`]);
    expect(r.output).not.toMatch(/cannot read/);
  });

  it("json names a policy that could not be read, as sarif does, so a report that exits 2 says why", async () => {
    const nope = join(dir, "nope.yaml");
    const r = await validate([warned, nope], {}, "json");
    expect(r.exitCode).toBe(2);
    const json = JSON.parse(r.output) as { diagnostics: unknown[]; unreadable: string[] };
    expect(json.diagnostics).toHaveLength(1);
    expect(json.unreadable).toEqual([`${nope}: error: cannot read policy: no such file; check the path given to validate`]);
    const sarif = JSON.parse((await validate([warned, nope], {}, "sarif")).output) as { runs: { results: { message: { text: string } }[] }[] };
    expect(sarif.runs[0]!.results.at(-1)!.message.text).toBe(json.unreadable[0]);
  });

  it("PolicyLayer JSON is detected by its content and validated in its own dialect", async () => {
    const p = file("pl.json", JSON.stringify({ version: "1", default: "deny", tools: { a: { limits: [] } } }));
    expect(detectDialect(JSON.stringify({ tools: { a: { rules: [] } } }))).toBe("intercept");
    const r = await validate([p], {});
    expect(r.output).toContain("pl.json: ok");
    expect(r.exitCode).toBe(0);
  });

  it("--dialect forces the dialect: Intercept YAML read as PolicyLayer fails", async () => {
    const p = file("forced.yaml", 'version: "1"\ntools:\n  a:\n    rules: []\n');
    const r = await validate([p], { dialect: "policylayer" });
    expect(r.exitCode).toBe(2);
  });

  it("--tools warns at a policy tool the server does not list but nearly does (a misspelt name guards nothing), and --strict fails on it", async () => {
    const tape = join(ROOT, "fixtures/tapes/everything.jsonl");
    const p = file("misspelt.yaml", 'version: "1"\ndefault: allow\ntools:\n  ehco:\n    rules:\n      - { name: no echo, action: deny }\n  read_text_file:\n    rules: []\n');
    const r = await validate([p], { tools: tape, strict: true });
    expect(r.output).toContain(`${p}:4:3: warning: tools.ehco: ${tape} lists no tool ehco; did you mean echo? Rules under a name no tool has decide no call\n`);
    // read_text_file is server-filesystem's, close to no tool of server-everything: a policy may cover several servers.
    expect(r.output).not.toContain("read_text_file: ");
    expect(r.exitCode).toBe(1);
  });
});

describe("mcptape validate with several report formats", () => {
  it("validates once and writes each format from the same findings", async () => {
    const warned = join(dir, "warned.yaml");
    const out = tempDir("validate-reports");
    const r = await runCli(["validate", warned, "--report", `json=${join(out, "v.json")}`, "--report", `sarif=${join(out, "v.sarif")}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("unknown key `rulez`");
    const json = JSON.parse(readFileSync(join(out, "v.json"), "utf8")) as { diagnostics: { message: string }[] };
    const sarif = JSON.parse(readFileSync(join(out, "v.sarif"), "utf8")) as { runs: { results: { message: { text: string } }[] }[] };
    expect(json.diagnostics.map((d) => d.message)).toEqual(sarif.runs[0]!.results.map((x) => x.message.text));
  });
});
