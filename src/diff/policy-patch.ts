/** The textual change between the two policy files, as a unified diff (the `diff` package). */
import { createTwoFilesPatch } from "diff";

export interface PolicyText {
  /** As the user named it: a file path or `REV:PATH`. */
  name: string;
  text: string;
}

/** A unified diff of the two policies; empty when their texts are the same. */
export function policyPatch(base: PolicyText, head: PolicyText, context = 3): string {
  if (base.text === head.text) return "";
  const patch = createTwoFilesPatch(base.name, head.name, base.text, head.text, undefined, undefined, { context });
  // The first line is a `===` banner the unified format does not need.
  return patch.startsWith("====") ? patch.slice(patch.indexOf("\n") + 1) : patch;
}
