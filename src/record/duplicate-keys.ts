/**
 * Whether JSON text has an object with the same key twice. JSON.parse keeps only the last,
 * so a value in an earlier copy is on the wire (and in a verbatim tape) but in no parsed
 * value that redaction looks at. Expects valid JSON; one pass over the text.
 */
export function hasDuplicateKeys(text: string): boolean {
  /** Per open container: the keys seen so far (objects) or null (arrays). */
  const seen: (Set<string> | null)[] = [];
  /** Per open container: whether the next string is a key. */
  const keyNext: boolean[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const top = seen.length - 1;
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      seen.push(c === 0x7b ? new Set() : null);
      keyNext.push(c === 0x7b);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      seen.pop();
      keyNext.pop();
    } else if (c === 0x2c /* , */) {
      if (top >= 0 && seen[top] !== null) keyNext[top] = true;
    } else if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      if (top >= 0 && keyNext[top]) {
        const raw = text.slice(i, end + 1);
        // "\u0061" and "a" are the same key.
        const key = raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (seen[top]!.has(key)) return true;
        seen[top]!.add(key);
        keyNext[top] = false;
      }
      i = end;
    }
    i++;
  }
  return false;
}

/** Index of the closing quote of the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) return text.length - 1;
    let backslashes = 0;
    for (let j = q - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
    from = q + 1;
  }
}
