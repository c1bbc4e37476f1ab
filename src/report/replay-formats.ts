/** The replay renderers by format name. */
import { pick, type ReplayFormat } from "./formats.js";
import { replayGithub } from "./replay-github.js";
import { replayHtml } from "./replay-html.js";
import { replayJson } from "./replay-json.js";
import { replayJunit } from "./replay-junit.js";
import { replayMarkdown } from "./replay-markdown.js";
import type { ReplayRenderer } from "./replay-renderer.js";
import { replayText } from "./replay-text.js";
import { makeStyle, type ColorMode } from "./style.js";

type Make = (toTerminal: boolean, color: ColorMode) => ReplayRenderer<string | Iterable<string>>;

const RENDERERS: Record<ReplayFormat, Make> = {
  text: (toTerminal, color) => replayText(makeStyle(toTerminal, color), toTerminal),
  json: () => replayJson(),
  junit: () => replayJunit(),
  markdown: () => replayMarkdown(),
  github: () => replayGithub(),
  html: () => replayHtml(),
};

export function replayRenderer(format: string, toTerminal: boolean, color: ColorMode = "auto"): ReplayRenderer<string | Iterable<string>> {
  return pick(RENDERERS, format, "replay")(toTerminal, color);
}
