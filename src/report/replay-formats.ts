/**
 * The replay renderers by format name. Each format's module is loaded only when a run writes
 * that format: a replay writes one or two of the six, and loading the rest (html's page and
 * charts, junit's spool, markdown's tables) is start-up time every replay would pay.
 */
import { pick, type ReplayFormat } from "./formats.js";
import type { ReplayRenderer } from "./replay-renderer.js";
import type { ColorMode } from "./color-mode.js";

type Make = (toTerminal: boolean, color: ColorMode) => ReplayRenderer<string | Iterable<string>>;

/** Makes a renderer for an output of the given format. */
export type ReplayRendererFor = (format: string, toTerminal: boolean, color?: ColorMode) => ReplayRenderer<string | Iterable<string>>;

const RENDERERS: Record<ReplayFormat, () => Promise<Make>> = {
  text: async () => {
    const [{ replayText }, { makeStyle }] = await Promise.all([import("./replay-text.js"), import("./style.js")]);
    return (toTerminal, color) => replayText(makeStyle(toTerminal, color), toTerminal);
  },
  json: async () => (await import("./replay-json.js")).replayJson,
  junit: async () => (await import("./replay-junit.js")).replayJunit,
  markdown: async () => (await import("./replay-markdown.js")).replayMarkdown,
  github: async () => (await import("./replay-github.js")).replayGithub,
  html: async () => (await import("./replay-html.js")).replayHtml,
};

/** Loads the renderers of `formats` (each checked: bad input names the formats there are); the result makes one per output. */
export async function replayRenderers(formats: readonly string[]): Promise<ReplayRendererFor> {
  const loaded = new Map<string, Make>();
  for (const format of formats) if (!loaded.has(format)) loaded.set(format, await pick(RENDERERS, format, "replay")());
  return (format, toTerminal, color = "auto") => {
    const make = loaded.get(format);
    if (make === undefined) throw new Error(`the ${format} replay renderer was not loaded`);
    return make(toTerminal, color);
  };
}
