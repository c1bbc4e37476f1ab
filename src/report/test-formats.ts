/** The test report renderers by format name. */
import { InputError } from "../errors.js";
import { makeStyle, type ColorMode } from "./style.js";
import { testGithub } from "./test-github.js";
import { testJson } from "./test-json.js";
import { testJunit } from "./test-junit.js";
import { testMarkdown } from "./test-markdown.js";
import { testSarif } from "./test-sarif.js";
import type { TestRenderer } from "./test-renderer.js";
import { testText } from "./test-text.js";

export const TEST_FORMATS = ["text", "json", "junit", "markdown", "github", "sarif"];

export function testRenderer(format: string, toTerminal: boolean, color: ColorMode = "auto"): TestRenderer {
  switch (format) {
    case "text":
      return testText(makeStyle(toTerminal, color));
    case "json":
      return testJson;
    case "junit":
      return testJunit;
    case "markdown":
      return testMarkdown;
    case "github":
      return testGithub;
    case "sarif":
      return testSarif;
    default:
      throw new InputError(`--format ${JSON.stringify(format)} is not a format mcptape test writes`, undefined, `use one of: ${TEST_FORMATS.join(", ")}`);
  }
}
