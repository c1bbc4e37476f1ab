/** The diff renderers by format name. */
import { InputError } from "../errors.js";
import { diffHtml } from "./diff-html.js";
import { diffGithub } from "./diff-github.js";
import { diffJson } from "./diff-json.js";
import { diffMarkdown } from "./diff-markdown.js";
import { diffSarif } from "./diff-sarif.js";
import type { DiffRenderer } from "./diff-renderer.js";
import { diffText } from "./diff-text.js";
import { makeStyle, type ColorMode } from "./style.js";

export const DIFF_FORMATS = ["text", "json", "markdown", "html", "github", "sarif"];

export function diffRenderer(format: string, toTerminal: boolean, color: ColorMode = "auto"): DiffRenderer {
  switch (format) {
    case "text":
      return diffText(makeStyle(toTerminal, color), toTerminal);
    case "json":
      return diffJson();
    case "markdown":
      return diffMarkdown();
    case "html":
      return diffHtml();
    case "github":
      return diffGithub();
    case "sarif":
      return diffSarif();
    default:
      throw new InputError(`--format ${format} is not built for diff`, undefined, "use text, json, markdown, html, github or sarif");
  }
}
