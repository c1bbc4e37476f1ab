import { InputError } from "../errors.js";

/**
 * The formats each command writes, named once. The command line offers exactly these
 * (commander's choices), and each command's renderer table is keyed by them, so a format
 * without a renderer, or a renderer the command line does not offer, is a type error.
 * Names only: `--help` does not load a renderer.
 */
export const REPLAY_FORMATS = ["text", "json", "junit", "markdown", "github", "html"] as const;
export const DIFF_FORMATS = ["text", "json", "markdown", "html", "github", "sarif"] as const;
export const TEST_FORMATS = ["text", "json", "junit", "markdown", "github", "sarif"] as const;
export const VALIDATE_FORMATS = ["text", "json", "sarif"] as const;
export const FUZZ_FORMATS = ["text", "json"] as const;

export type ReplayFormat = (typeof REPLAY_FORMATS)[number];
export type DiffFormat = (typeof DIFF_FORMATS)[number];
export type TestFormat = (typeof TEST_FORMATS)[number];

/** The renderer for `format` from a command's table, or bad input naming the formats it has. */
export function pick<F extends string, R>(table: Record<F, R>, format: string, command: string): R {
  if (Object.hasOwn(table, format)) return table[format as F];
  throw new InputError(`--format ${JSON.stringify(format)} is not a format mcptape ${command} writes`, undefined, `use one of: ${Object.keys(table).join(", ")}`);
}
