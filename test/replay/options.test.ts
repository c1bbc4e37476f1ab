/**
 * Replay options are checked by one parser for both places they are written; each message
 * tells the user how to write the fix where they wrote the option.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { replayOptionsFromFlags, replayOptionsFromScenario } from "../../src/replay/options.js";
import { runCli } from "../cli/run-cli.js";

function hintOf(parse: () => unknown): string {
  try {
    parse();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).hint ?? "";
  }
  throw new Error("expected an InputError");
}

describe("replay options, as flags and as a scenario's options:", () => {
  it("the same values give the same options", () => {
    const given = { speed: "10", at: "2026-01-01T09:00:00Z", approvals: "approve", rollbackOn: "error+isError", window: "sliding", together: false };
    expect(replayOptionsFromScenario(given, { file: "s.yaml" })).toEqual(replayOptionsFromFlags(given));
  });

  it.each([
    [{ speed: "fast" }, "write --speed 10 for time ten times faster", "write speed: 10 for time ten times faster"],
    [{ at: "noon" }, "write --at 2026-01-01T09:00:00Z", "write at: 2026-01-01T09:00:00Z"],
    [{ rollbackOn: "always" }, "write --rollback-on error", "write rollbackOn: error"],
    [{ approvals: "maybe" }, "write --approvals approve", "write approvals: approve"],
  ])("%j: a flag's hint names the flag, a scenario's the key", (given, flagHint, scenarioHint) => {
    expect(hintOf(() => replayOptionsFromFlags({ ...given, together: false }))).toBe(flagHint);
    expect(hintOf(() => replayOptionsFromScenario(given, { file: "s.yaml", line: 3, col: 10 }))).toBe(scenarioHint);
  });

  it("a time without its zone is refused: the machine's own time zone would move the replay, so one command would decide differently on two machines", () => {
    for (const at of ["2026-01-01T09:00:00", "Jan 1 2026", "2026-01-01 09:00"]) {
      expect(() => replayOptionsFromFlags({ at, together: false }), at).toThrow(InputError);
    }
    expect(hintOf(() => replayOptionsFromFlags({ at: "2026-01-01T09:00:00", together: false }))).toBe("write --at 2026-01-01T09:00:00Z");
    expect(replayOptionsFromFlags({ at: "2026-01-01T09:00:00+02:00", together: false }).at).toBe(Date.parse("2026-01-01T07:00:00Z"));
    // A date alone is UTC midnight in ECMAScript's reading, the same everywhere.
    expect(replayOptionsFromFlags({ at: "2026-01-01", together: false }).at).toBe(Date.parse("2026-01-01T00:00:00Z"));
  });

  it("the command line says how to write the flag", async () => {
    const r = await runCli(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--speed", "fast"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("write --speed 10");
  });
});
