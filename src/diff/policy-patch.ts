/** The textual change between the two policy files, as a unified diff (the `diff` package). */
import { createTwoFilesPatch } from "diff";

export interface PolicyText {
  /** As the user named it: a file path or `REV:PATH`. */
  name: string;
  text: string;
}

/**
 * Most changed lines worth diffing: a bigger patch cannot fit a pull-request comment, and
 * Myers' diff costs grow with the edit length (seconds for thousands of changed lines).
 */
export const MAX_PATCH_EDITS = 2_000;

/** A unified diff of the two policies; "" when their texts are the same, null when too large. */
export function policyPatch(base: PolicyText, head: PolicyText, context = 3): string | null {
  if (base.text === head.text) return "";
  const patch = createTwoFilesPatch(base.name, head.name, base.text, head.text, undefined, undefined, { context, maxEditLength: MAX_PATCH_EDITS });
  if (patch === undefined) return null;
  // The first line is a `===` banner the unified format does not need.
  return patch.startsWith("====") ? patch.slice(patch.indexOf("\n") + 1) : patch;
}
