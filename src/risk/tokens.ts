/** Splitting tool names and descriptions into lower-case words, and matching word forms. */

/** `deleteCompassComponent`, `delete-many`, `delete_file`, `runSEOAudit` → their words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
}

/**
 * The words a description starts with when they are a list of verbs joined by `and`, `or`,
 * `/` or commas: "List and create keys" → list, create; "Read/create/update/delete ..." → all
 * four. Callers keep the ones they know as verbs.
 */
export function leadingWords(description: string): string[] {
  const lead = /^\s*([A-Za-z]+(?:\s*(?:\/|,|&|\band\b|\bor\b)\s*[A-Za-z]+)*)/.exec(description);
  if (!lead) return [];
  return lead[1]!.toLowerCase().split(/\s*(?:\/|,|&|\band\b|\bor\b)\s*/).filter((w) => w !== "");
}

/**
 * The forms a word may be the inflection of: `deletes` → `delete`, `creating` → `create`,
 * `queries` → `query`. Good enough for verbs at the start of names and descriptions.
 */
export function baseForms(word: string): string[] {
  const forms = [word];
  if (word.endsWith("ies")) forms.push(word.slice(0, -3) + "y");
  if (word.endsWith("es")) forms.push(word.slice(0, -2));
  if (word.endsWith("s") && !word.endsWith("ss")) forms.push(word.slice(0, -1));
  if (word.endsWith("ing")) forms.push(word.slice(0, -3), word.slice(0, -3) + "e");
  if (word.endsWith("ed")) forms.push(word.slice(0, -2), word.slice(0, -1));
  return forms;
}
