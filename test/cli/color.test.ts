/** `--color auto|always|never` decides over NO_COLOR and FORCE_COLOR; report files never get colours. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, spawnCli } from "./run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const DEMO = ["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml"];
const ESC = "\u001b[";

describe("--color", () => {
  it("always colours piped text even under NO_COLOR", async () => {
    const r = await runCli([...DEMO, "--color", "always"]);
    expect(r.stdout).toContain(`${ESC}31mdeny`);
  });

  it("never takes colours away even under FORCE_COLOR (a real process)", () => {
    const forced = spawnCli([...DEMO, "--color", "never"], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(forced.code).toBe(0);
    expect(forced.stdout).not.toContain(ESC);
    expect(forced.stdout).toContain("deny");
  });

  it("auto (the default) follows FORCE_COLOR, as before", () => {
    const auto = spawnCli([...DEMO, "--color", "auto"], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(auto.stdout).toContain(ESC);
  });

  it("colours only the main output: a --report text file stays plain", async () => {
    const file = join(tempDir("color"), "report.txt");
    const r = await runCli([...DEMO, "--color", "always", "--report", `text=${file}`]);
    expect(r.stdout).toContain(ESC);
    expect(readFileSync(file, "utf8")).not.toContain(ESC);
  });

  it("a mode that is not one is bad input, exit 2", async () => {
    const r = await runCli([...DEMO, "--color", "sometimes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--color "sometimes" is not a colour mode; use one of: auto, always, never');
  });
});
