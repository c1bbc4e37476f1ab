/** The diff renderers by format name. */
import { pick, type DiffFormat } from "./formats.js";
import { diffHtml } from "./diff-html.js";
import { diffGithub } from "./diff-github.js";
import { diffJson } from "./diff-json.js";
import { diffMarkdown } from "./diff-markdown.js";
import { diffSarif } from "./diff-sarif.js";
import type { DiffRenderer } from "./diff-renderer.js";
import { diffText } from "./diff-text.js";
import type { ColorMode } from "./color-mode.js";
import { makeStyle } from "./style.js";

const RENDERERS: Record<DiffFormat, (toTerminal: boolean, color: ColorMode) => DiffRenderer> = {
  text: (toTerminal, color) => diffText(makeStyle(toTerminal, color), toTerminal),
  json: () => diffJson(),
  markdown: () => diffMarkdown(),
  html: () => diffHtml(),
  github: () => diffGithub(),
  sarif: () => diffSarif(),
};

export function diffRenderer(format: string, toTerminal: boolean, color: ColorMode = "auto"): DiffRenderer {
  return pick(RENDERERS, format, "diff")(toTerminal, color);
}
