/** Temporary report files belong to the run that made them: a run inside another never takes the outer run's. */
import { describe, expect, it } from "vitest";
import { trackTempFile, withTempFiles } from "../../src/temp-files.js";

describe("temporary files of a run", () => {
  it("a run that ends removes only the files it left pending, not those of the run it was started in", async () => {
    const removed: string[] = [];
    await withTempFiles(async () => {
      trackTempFile("/tmp/outer-report.tmp", () => removed.push("outer"));
      await withTempFiles(async () => {
        trackTempFile("/tmp/inner-report.tmp", () => removed.push("inner"));
      });
      expect(removed).toEqual(["inner"]);
    });
    expect(removed).toEqual(["inner", "outer"]);
  });
});
