/**
 * `test --watch` as a user runs it: a real process, real file changes in a temp folder, and a
 * real signal to stop it. It runs again when the policy or the scenario file changes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../cli/run-cli.js";
import { LIMITS_POLICY, writeFiles } from "./helpers.js";

const SUITE = `policy: policy.yaml
scenarios:
  - name: nukes are denied
    calls: [{ t: "2026-01-01T10:00:00Z", tool: nuke }]
    expect: { summary: { deny: 1 } }
`;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
});

/** Resolves when `text()` satisfies `ok`, checking as output arrives; fails after 20 s with what was seen. */
function until(proc: ChildProcess, text: () => string, ok: (t: string) => boolean): Promise<void> {
  return new Promise((resolveWait, reject) => {
    const check = () => {
      if (ok(text())) {
        clearTimeout(timer);
        proc.stdout!.off("data", check);
        proc.stderr!.off("data", check);
        resolveWait();
      }
    };
    const timer = setTimeout(() => reject(new Error(`timed out; output so far:\n${text()}`)), 20_000);
    proc.stdout!.on("data", check);
    proc.stderr!.on("data", check);
    check();
  });
}

describe("test --watch", () => {
  it("runs again when the policy changes and when the scenario file changes, until stopped", async () => {
    const dir = writeFiles({ "policy.yaml": LIMITS_POLICY, "suite.yaml": SUITE });
    let out = "";
    let err = "";
    const proc = (child = spawn(process.execPath, [BIN, "test", dir, "--watch"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] }));
    proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const watching = () => (err.match(/watching \d+ files? for changes/g) ?? []).length;
    // Runs whose report reached stdout: stdout and stderr are two pipes, so the "watching" line
    // on stderr may arrive before the report it follows.
    const reported = () => (out.match(/\d+ passed, \d+ failed/g) ?? []).length;
    const ran = (n: number) => () => watching() === n && reported() === n;

    await until(proc, () => out + err, ran(1));
    expect(out).toMatch(/1 passed/);
    expect(err).toMatch(/watching 2 files/); // the scenario file and its policy

    // The policy no longer denies nukes: the scenario now fails.
    writeFileSync(join(dir, "policy.yaml"), LIMITS_POLICY.replace(/ {2}nuke:[\s\S]*$/, ""));
    await until(proc, () => out + err, ran(2));
    expect(err).toContain(`${join(dir, "policy.yaml")} changed, running the scenarios again`);
    expect(out.slice(out.lastIndexOf("scenario"))).toMatch(/1 failed/);

    // The scenario is edited to expect what the policy now does: passing again.
    writeFileSync(join(dir, "suite.yaml"), SUITE.replace("deny: 1", "allow: 1"));
    await until(proc, () => out + err, ran(3));
    expect(err).toContain(`${join(dir, "suite.yaml")} changed`);
    expect(out.slice(out.lastIndexOf("scenario"))).toMatch(/1 passed/);

    // A report written into the folder (like -o results.xml) is not a change to run for.
    writeFileSync(join(dir, "results.xml"), "<testsuites/>");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(watching()).toBe(3);

    const exited = new Promise<NodeJS.Signals | null>((r) => proc.on("exit", (_code, signal) => r(signal)));
    proc.kill("SIGTERM");
    expect(await exited).toBe("SIGTERM");
  }, 60_000);
});
