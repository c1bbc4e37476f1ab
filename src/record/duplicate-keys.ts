/**
 * Whether JSON text has an object with the same key twice. JSON.parse keeps only the last,
 * so a value in an earlier copy is on the wire (and in a verbatim tape) but in no parsed
 * value that redaction looks at. Expects valid JSON (the recorder asks only about text
 * JSON.parse took). One pass over the text, strings read by the shared scanner
 * (json/scanner.ts), which decodes each key, so "\u0061" and "a" are the same key. The loop
 * looks at one character at a time itself, its character codes written out: it runs on every
 * message the recorder tapes, and read through an import they cost it twice its time (tsx).
 */
import { JsonScanner } from "../json/scanner.js";

export function hasDuplicateKeys(text: string): boolean {
  const s = new JsonScanner(text);
  /** Per open container: the keys seen so far (objects) or null (arrays). */
  const seen: (Set<string> | null)[] = [];
  /** Whether the next string in the innermost container is a key. */
  let keyNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      s.pos = i;
      if (keyNext) {
        const key = s.readString();
        const keys = seen[seen.length - 1]!;
        if (keys.has(key)) return true;
        keys.add(key);
        keyNext = false;
      } else {
        s.skipString();
      }
      i = s.pos - 1;
    } else if (c === 0x7b /* { */) {
      seen.push(new Set());
      keyNext = true;
    } else if (c === 0x5b /* [ */) {
      seen.push(null);
      keyNext = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      seen.pop();
      keyNext = false;
    } else if (c === 0x2c /* , */) {
      keyNext = seen.length > 0 && seen[seen.length - 1] !== null;
    }
  }
  return false;
}
