/** The test report renderers by format name. */
import { pick, type TestFormat } from "./formats.js";
import type { ColorMode } from "./color-mode.js";
import { makeStyle } from "./style.js";
import { testGithub } from "./test-github.js";
import { testJson } from "./test-json.js";
import { testJunit } from "./test-junit.js";
import { testMarkdown } from "./test-markdown.js";
import { testSarif } from "./test-sarif.js";
import type { TestRenderer } from "./test-renderer.js";
import { testText } from "./test-text.js";

const RENDERERS: Record<TestFormat, (toTerminal: boolean, color: ColorMode) => TestRenderer> = {
  text: (toTerminal, color) => testText(makeStyle(toTerminal, color)),
  json: () => testJson,
  junit: () => testJunit,
  markdown: () => testMarkdown,
  github: () => testGithub,
  sarif: () => testSarif,
};

export function testRenderer(format: string, toTerminal: boolean, color: ColorMode = "auto"): TestRenderer {
  return pick(RENDERERS, format, "test")(toTerminal, color);
}
