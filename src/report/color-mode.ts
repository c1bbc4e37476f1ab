/**
 * `--color`: auto, always or never. Apart from style.ts, so that a run that writes no text
 * report (json, a file, validate) does not load chalk, whose styles cost each start ~2 ms.
 */
export const COLOR_MODES = ["auto", "always", "never"] as const;
export type ColorMode = (typeof COLOR_MODES)[number];
