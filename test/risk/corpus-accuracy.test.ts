/**
 * The classifier measured on the 967 tools the Intercept policy corpus labels by class. The
 * labels are a person's judgement (Stripe's list_charges is Financial, Cloudflare's
 * d1_database_delete is Other), so the floors pin what the general rules reach, not 100%.
 */
import { describe, expect, it } from "vitest";
import { RISK_CLASSES, type RiskClass } from "../../src/risk/classes.js";
import { classifyTool } from "../../src/risk/classify.js";
import { table } from "../../src/report/table.js";
import { CORPUS } from "../helpers/corpus.js";
import { readLabelledTools } from "./corpus.js";

/** Measured 78.7% overall; a couple of points of slack for rule changes that trade errors. */
const OVERALL_FLOOR = 76;
const RECALL_FLOOR: Record<RiskClass, number> = { Read: 95, Write: 90, Execute: 65, Destructive: 95, Financial: 85, Other: 20 };

const tools = CORPUS === undefined ? [] : readLabelledTools(CORPUS);
const predicted = tools.map((t) => classifyTool({ name: t.name, description: t.description }).class);

function percent(n: number, of: number): number {
  return of === 0 ? 100 : Math.round((1000 * n) / of) / 10;
}

const perClass = RISK_CLASSES.map((cls) => {
  const labelled = tools.filter((t) => t.label === cls).length;
  const guessed = predicted.filter((p) => p === cls).length;
  const right = tools.filter((t, i) => t.label === cls && predicted[i] === cls).length;
  return { cls, labelled, precision: percent(right, guessed), recall: percent(right, labelled) };
});
const overall = percent(tools.filter((t, i) => predicted[i] === t.label).length, tools.length);

describe.skipIf(CORPUS === undefined)(`risk classes on the labelled corpus (${CORPUS})`, () => {
  it("the corpus holds 967 labelled tools in six classes", () => {
    expect(tools).toHaveLength(967);
    expect(new Set(tools.map((t) => t.label))).toEqual(new Set(RISK_CLASSES));
  });

  it(`overall accuracy stays at or above ${OVERALL_FLOOR}%`, () => {
    const rows = [["class", "count", "precision %", "recall %"], ...perClass.map((c) => [c.cls, String(c.labelled), String(c.precision), String(c.recall)])];
    console.log(`${table(rows, new Set([1, 2, 3]))}\noverall accuracy: ${overall}% of ${tools.length}`);
    expect(overall).toBeGreaterThanOrEqual(OVERALL_FLOOR);
  });

  for (const cls of RISK_CLASSES) {
    it(`${cls} recall stays at or above ${RECALL_FLOOR[cls]}%`, () => {
      expect(perClass.find((c) => c.cls === cls)!.recall).toBeGreaterThanOrEqual(RECALL_FLOOR[cls]);
    });
  }
});
