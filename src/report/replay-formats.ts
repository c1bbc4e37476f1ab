/** The replay renderers by format name. */
import { InputError } from "../errors.js";
import { replayGithub } from "./replay-github.js";
import { replayHtml } from "./replay-html.js";
import { replayJson } from "./replay-json.js";
import { replayJunit } from "./replay-junit.js";
import { replayMarkdown } from "./replay-markdown.js";
import type { ReplayRenderer } from "./replay-renderer.js";
import { replayText } from "./replay-text.js";
import { makeStyle } from "./style.js";

export const REPLAY_FORMATS = ["text", "json", "junit", "markdown", "github", "html"];

export function replayRenderer(format: string, toTerminal: boolean): ReplayRenderer<string | Iterable<string>> {
  switch (format) {
    case "text":
      return replayText(makeStyle(toTerminal));
    case "json":
      return replayJson();
    case "junit":
      return replayJunit();
    case "markdown":
      return replayMarkdown();
    case "github":
      return replayGithub();
    case "html":
      return replayHtml();
    default:
      throw new InputError(`--format ${format} is not built yet for replay`, undefined, "use text, json, junit, markdown, github or html");
  }
}
