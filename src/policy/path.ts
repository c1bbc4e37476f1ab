/**
 * Resolving `args.a.b` against a call's arguments the way Intercept does: each segment walks
 * into an object; a non-object on the way (a list, a string, null) or an absent key is
 * "missing". No array indexing. A present `null` is a value, not missing.
 */

/** Marks a path that did not resolve (distinct from a present `null`). */
export const MISSING: unique symbol = Symbol("missing");
export type Missing = typeof MISSING;

/**
 * The value at `segments[from..]` inside `root`, or MISSING.
 * For a condition path `args.a.b`, pass its segments and `from = 1`.
 */
export function resolveSegments(root: unknown, segments: readonly string[], from = 0): unknown {
  let current = root;
  for (let i = from; i < segments.length; i++) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return MISSING;
    const key = segments[i]!;
    const next = (current as Record<string, unknown>)[key];
    // Inherited members (`constructor`, `__proto__`...) are not arguments; undefined never
    // comes out of JSON.
    if (next === undefined || !Object.hasOwn(current, key)) return MISSING;
    current = next;
  }
  return current;
}

/** `resolveSegments` for a dotted path relative to the arguments (`"a.b"`, no `args.`). */
export function resolveArgPath(args: unknown, path: string): unknown {
  return resolveSegments(args, path.split("."));
}
