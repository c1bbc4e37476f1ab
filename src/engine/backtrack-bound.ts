/**
 * Whether a (translated, JavaScript) pattern keeps V8's backtracking within a small power of
 * the text's length. RE2 (and so Intercept) is linear in the text for any pattern; V8 is not:
 * a quantified group that itself holds a quantifier or an alternation (`(a+)+$`, `(a|a)*b`)
 * is exponential, and every further quantifier multiplies the work by the text's length
 * (`a*a*b` on 256 a's takes V8 about 13 ms, RE2 microseconds). The native fast path takes only
 * patterns with no such group and at most MAX_QUANTIFIERS quantifiers, and only on texts short
 * enough (`nativeTextLimit`) that the worst case, about length^(quantifiers+1) steps, stays
 * within NATIVE_STEP_BUDGET.
 */

export const MAX_QUANTIFIERS = 2;
/** Longer texts always go to RE2: a hostile 100 kB argument must not stall a replay. */
export const NATIVE_MAX_TEXT = 256;
/** Backtracking steps a native match may take at worst (well under a millisecond). */
export const NATIVE_STEP_BUDGET = 2 ** 18;

/** The longest text a bounded pattern with `quantifiers` quantifiers is matched natively on. */
export function nativeTextLimit(quantifiers: number): number {
  return Math.min(NATIVE_MAX_TEXT, Math.floor(NATIVE_STEP_BUDGET ** (1 / (quantifiers + 1)) + 1e-9));
}

interface Group {
  quantified: boolean;
  alternation: boolean;
}

export function backtrackBounded(source: string): boolean {
  return boundedQuantifiers(source) !== undefined;
}

/** The number of quantifiers of a pattern whose backtracking is bounded, else undefined. */
export function boundedQuantifiers(source: string): number | undefined {
  const stack: Group[] = [{ quantified: false, alternation: false }];
  let quantifiers = 0;
  let lastGroup: Group | undefined; // the group that just closed, when it is the previous atom
  let afterQuantifier = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const top = stack[stack.length - 1]!;
    let closed: Group | undefined;
    let quantifier = false;
    if (c === "\\") {
      i++;
    } else if (c === "[") {
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
    } else if (c === "(") {
      stack.push({ quantified: false, alternation: false });
      if (source[i + 1] === "?") i += 2; // `(?:`
    } else if (c === ")") {
      const g = stack.pop();
      if (g === undefined || stack.length === 0) return undefined;
      closed = g;
      const parent = stack[stack.length - 1]!;
      parent.quantified ||= g.quantified;
      parent.alternation ||= g.alternation;
    } else if (c === "|") {
      top.alternation = true;
    } else if (c === "*" || c === "+" || c === "?" || c === "{") {
      if (c === "?" && afterQuantifier) {
        // Lazy modifier of the quantifier before it.
        afterQuantifier = false;
        continue;
      }
      if (c === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 12));
        if (!m) return undefined;
        i += m[0].length - 1;
        if (m[2] === undefined) {
          // `{n}`: exactly n, no choice to backtrack over, unless it repeats a group that has
          // choices: `(a*){3}` is `a*a*a*`, and nesting such repeats is exponential.
          if (lastGroup && (lastGroup.quantified || lastGroup.alternation)) return undefined;
          lastGroup = undefined;
          afterQuantifier = true;
          continue;
        }
      }
      quantifier = true;
      quantifiers++;
      top.quantified = true;
      if (lastGroup && (lastGroup.quantified || lastGroup.alternation)) return undefined;
    }
    lastGroup = closed;
    afterQuantifier = quantifier;
  }
  return stack.length === 1 && quantifiers <= MAX_QUANTIFIERS ? quantifiers : undefined;
}
