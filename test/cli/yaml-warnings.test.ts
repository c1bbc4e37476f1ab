/**
 * The yaml package reports a mapping or list used as a key through Node's process warnings
 * ("(node:1234) Warning: Keys with collection values will be stringified ..."), which would
 * reach a user's stderr beside our own messages. Checked on the built CLI in its own process,
 * where such a warning would be printed.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { spawnCli } from "./run-cli.js";

const NODE_WARNING = /\(node:\d+\) Warning/;

describe("a list or mapping as a YAML key prints no Node warning", () => {
  it("in a policy: one error of ours, at the key, and nothing else on stderr", () => {
    const dir = tempDir("yaml-warnings");
    const policy = join(dir, "policy.yaml");
    writeFileSync(policy, 'version: "1"\n? [a, b]\n: 1\ntools: {}\n');
    const r = spawnCli(["validate", policy]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${policy}:2:3: error: a key in the policy must be a single value, not a list`);
    expect(r.stderr).not.toMatch(NODE_WARNING);
  });

  it("in a --claims file", () => {
    const dir = tempDir("yaml-warnings-claims");
    const claims = join(dir, "claims.yaml");
    writeFileSync(claims, "demo-agent:\n  sub: carol\n? [x]\n: 1\n");
    const r = spawnCli(["replay", "fixtures/tapes/everything.jsonl", "-p", "fixtures/cedar/toolhive.cedar", "--profile", "toolhive", "--claims", claims, "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${claims}: error: the claims of "[ x ]" are not a mapping`);
    expect(r.stderr).not.toMatch(NODE_WARNING);
  });
});
