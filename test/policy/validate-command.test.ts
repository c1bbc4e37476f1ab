import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateCommand } from "../../src/cli/validate.js";
import { detectDialect } from "../../src/policy/load.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = tempDir("validate");
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
    expect(await validateCommand([clean], {})).toEqual({ output: `${clean}: ok\n`, exitCode: 0, unreadable: [] });
  });

  it("an error prints file:line:col and exits 2", async () => {
    const r = await validateCommand([broken, clean], {});
    expect(r.exitCode).toBe(2);
    expect(r.output.split("\n")[0]).toBe(`${broken}:1:10: error: version must be "1", got "2"; write version: "1"`);
  });

  it("warnings alone exit 0, and 1 under --strict", async () => {
    expect((await validateCommand([warned], {})).exitCode).toBe(0);
    expect((await validateCommand([warned], { strict: true })).exitCode).toBe(1);
  });

  it("json output lists every diagnostic", async () => {
    const r = await validateCommand([warned], { format: "json" });
    expect(JSON.parse(r.output)).toEqual({
      diagnostics: [{ file: warned, line: 4, col: 5, severity: "warning", message: "unknown key `rulez` in tools.t (Intercept ignores it); did you mean `rules`?" }],
    });
  });

  it("a missing file is an error of the command (for stderr) naming validate's argument, not a crash", async () => {
    const r = await validateCommand([join(dir, "nope.yaml")], {});
    expect(r.exitCode).toBe(2);
    expect(r.unreadable).toEqual([`${join(dir, "nope.yaml")}: error: cannot read policy: no such file; check the path given to validate`]);
    expect(r.output).not.toMatch(/cannot read/);
  });

  it("PolicyLayer JSON is detected by its content and validated in its own dialect", async () => {
    const p = file("pl.json", JSON.stringify({ version: "1", default: "deny", tools: { a: { limits: [] } } }));
    expect(detectDialect(JSON.stringify({ tools: { a: { rules: [] } } }))).toBe("intercept");
    const r = await validateCommand([p], {});
    expect(r.output).toContain("pl.json: ok");
    expect(r.exitCode).toBe(0);
  });

  it("--dialect forces the dialect: Intercept YAML read as PolicyLayer fails", async () => {
    const p = file("forced.yaml", 'version: "1"\ntools:\n  a:\n    rules: []\n');
    const r = await validateCommand([p], { dialect: "policylayer" });
    expect(r.exitCode).toBe(2);
  });
});
