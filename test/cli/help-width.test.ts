/**
 * Help is wrapped to at most 80 columns (src/cli/main.ts HELP_WIDTH), so the copy the build
 * renders at 80 is exact for a pipe and for any terminal at least 80 wide; the entry
 * (src/cli/start.ts) prints it only there, and leaves a narrower terminal to commander.
 */
import { describe, expect, it } from "vitest";
import { helpArgs, main, printed } from "../../src/cli/main.js";
import { prerendered } from "../../src/cli/start.js";
import { captureIo } from "../fuzz/helpers.js";

/** What `mcptape ARGS` prints on a terminal this many columns wide. */
async function onTerminal(args: string[], columns: number): Promise<string> {
  const io = captureIo();
  Object.assign(io.stdout, { isTTY: true, columns });
  expect(await main(["node", "mcptape", ...args], io)).toBe(0);
  return io.out();
}

const widest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));

describe("help width", () => {
  it.each(helpArgs().map((args) => [args]))("mcptape %j on a 200-column terminal prints what it prints to a pipe", async (args) => {
    expect(await onTerminal(args, 200)).toBe((await printed(args)).stdout);
  });

  it("a terminal narrower than 80 columns gets help wrapped to its own width", async () => {
    const narrow = await onTerminal(["replay", "--help"], 79);
    expect(widest((await printed(["replay", "--help"])).stdout)).toBe(80);
    expect(widest(narrow)).toBe(79);
  });
});

describe("the entry prints the build's copy only where it is exact", () => {
  const help = { width: 80, texts: ["main help\n", "replay help\n"], forms: { '["--help"]': 0, '["replay","--help"]': 1 } };
  const copy = () => help;

  it("to a pipe, and to a terminal at least as wide as the copy", () => {
    expect(prerendered(["replay", "--help"], {}, copy)).toBe("replay help\n");
    expect(prerendered(["replay", "--help"], { isTTY: true, columns: 80 }, copy)).toBe("replay help\n");
    expect(prerendered(["--help"], { isTTY: true, columns: 200 }, copy)).toBe("main help\n");
  });

  it("not to a narrower terminal", () => {
    expect(prerendered(["--help"], { isTTY: true, columns: 79 }, copy)).toBeUndefined();
  });

  it("only for the exact argument list: one argument holding a space is not two", () => {
    expect(prerendered(["replay --help"], {}, copy)).toBeUndefined();
    expect(prerendered(["replay", "--help", "extra"], {}, copy)).toBeUndefined();
  });

  it("without reading the copy for a list longer than every help form (most commands)", () => {
    expect(helpArgs().every((args) => args.length <= 2)).toBe(true);
    let reads = 0;
    expect(prerendered(["replay", "t.jsonl", "-p", "p.yaml"], {}, () => (reads++, help))).toBeUndefined();
    expect(reads).toBe(0);
  });

  it("never from the TypeScript sources, which have no copy", () => {
    expect(prerendered(["--help"], {})).toBeUndefined();
  });
});
