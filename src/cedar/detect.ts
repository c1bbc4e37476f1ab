/** Whether a policy file is Cedar text (for `--dialect` detection). */

/** Cedar text: after comments and annotations, the first statement is `permit(` or `forbid(`. */
export function looksLikeCedar(text: string): boolean {
  const code = text.replace(/\/\/[^\n]*/g, "");
  return /^\s*(?:@[A-Za-z_][A-Za-z0-9_]*\s*(?:\(\s*"(?:[^"\\]|\\.)*"\s*\))?\s*)*(?:permit|forbid)\s*\(/.test(code);
}
