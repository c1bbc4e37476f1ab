/** "did you mean" for unknown keys (the nearest known key by edit distance), and names listed short in a message. */

export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The known key closest to `word`, when it is close enough to be a typo. */
export function nearest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = levenshtein(word.toLowerCase(), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(2, Math.floor(word.length / 3));
  if (bestDistance <= tolerance) return best;
  // `equals` for `eq`: a known key the word begins with (the longest such).
  const prefix = known.filter((k) => word.toLowerCase().startsWith(k)).sort((a, b) => b.length - a.length)[0];
  return prefix ?? null;
}

export function unknownKeyMessage(key: string, known: readonly string[], where: string): string {
  const guess = nearest(key, known);
  const head = `unknown key \`${key}\` in ${where} (Intercept ignores it)`;
  return guess
    ? `${head}; did you mean \`${guess}\`?`
    : `${head}; known keys here: ${known.map((k) => `\`${k}\``).join(", ")}`;
}

/** At most five names, then how many more. */
export function shortList(names: readonly string[]): string {
  return names.length <= 5 ? names.join(", ") : `${names.slice(0, 5).join(", ")} and ${names.length - 5} more`;
}
