/**
 * `mcptape init` points editors at the shipped Intercept schema: the first line of the starter
 * is yaml-language-server's `$schema` modeline, naming this package version's copy on the npm
 * CDN (docs/spec/cli.md, "Editor schemas"). The URL must name a file the package ships, and
 * the written starter must pass both `mcptape validate` and that schema.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, type CliResult } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { compileSchemas, explain, readYaml } from "./validators.js";

const dir = tempDir("init-schema");

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

/** What `npm pack` would put in the package, without running the build. */
function packedFiles(): string[] {
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}

describe("mcptape init writes the $schema modeline", () => {
  const policy = join(dir, "policy.yaml");
  let written: CliResult;
  let text = "";
  beforeAll(async () => {
    written = await runCli(["init", "--tools", "fixtures/tapes/everything.jsonl", "-o", policy]);
    if (written.code === 0) text = readFileSync(policy, "utf8");
  });

  it("as the first line, naming this version's schema on the npm CDN", () => {
    expect(written.code, written.stderr).toBe(0);
    const first = text.split("\n")[0]!;
    expect(first).toBe(`# yaml-language-server: $schema=https://cdn.jsdelivr.net/npm/mcptape@${pkg.version}/schemas/intercept-policy.schema.json`);
  });

  it("naming a file the package ships", () => {
    const path = /mcptape@[^/]+\/(\S+)$/.exec(text.split("\n")[0]!)?.[1];
    expect(path).toBe("schemas/intercept-policy.schema.json");
    const files = packedFiles();
    expect(files).toContain(path);
    // The schema refers to the shared operator definitions by file name: they ship beside it.
    expect(files).toContain("schemas/condition.schema.json");
  });

  it("in a file that mcptape validate accepts and the schema it names accepts", async () => {
    expect(await runCli(["validate", policy])).toMatchObject({ code: 0, stdout: `${policy}: ok\n` });
    const v = compileSchemas();
    expect(v.intercept(readYaml(text)?.value), explain(v.intercept.errors)).toBe(true);
  });

  it("not in the PolicyLayer starter: JSON has no comments, and an unknown key would draw a warning", async () => {
    const out = await runCli(["init", "--tools", "fixtures/tapes/everything.jsonl", "--dialect", "policylayer"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).not.toContain("$schema");
  });
});
