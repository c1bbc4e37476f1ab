/**
 * Reading a tape already in memory (tests, small hand-written tapes): synchronous, so the
 * schemas that say what is wrong with a bad line are loaded up front, not when one is found.
 */
import { tapeLineProblem } from "./explain.js";
import { parseLine, TapeLineParser, type NumberedLine } from "./line-parser.js";
import type { ReadTapeOptions } from "./reader.js";
import type { TapeLine } from "./schema.js";

/** The lines of a tape held in memory, in order, each checked. Throws InputError on a bad line. */
export function parseTape(text: string | Buffer, file = "<tape>", opts: ReadTapeOptions = {}): NumberedLine[] {
  const parser = new TapeLineParser(file, opts.onWarning, tapeLineProblem);
  const lines = parser.push(typeof text === "string" ? Buffer.from(text, "utf8") : text);
  for (const l of parser.end()) lines.push(l);
  return lines;
}

/**
 * Parses one line of text (without its `\n`) into a tape line, or throws InputError saying
 * where and what is wrong. Checks the line alone, not its place in the tape.
 */
export function parseTapeLine(text: string, file: string, lineNo: number): TapeLine {
  return parseLine(text, file, lineNo, tapeLineProblem);
}
