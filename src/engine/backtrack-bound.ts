/**
 * Whether a (translated, JavaScript) pattern keeps V8's backtracking within a small power of
 * the text's length. RE2 (and so Intercept) is linear in the text for any pattern; V8 is not:
 * a quantified group that itself holds a quantifier or an alternation (`(a+)+$`, `(a|a)*b`)
 * is exponential, and every further quantifier multiplies the work by the text's length
 * (`a*a*a*b`). The native fast path takes only patterns with no such group and at most
 * MAX_QUANTIFIERS quantifiers, and only on texts up to NATIVE_MAX_TEXT characters, so the
 * worst case stays around NATIVE_MAX_TEXT^(MAX_QUANTIFIERS+1) steps.
 */

export const MAX_QUANTIFIERS = 2;
/** Longer texts go to RE2: a hostile 100 kB argument must not stall a replay. */
export const NATIVE_MAX_TEXT = 256;

interface Group {
  quantified: boolean;
  alternation: boolean;
}

export function backtrackBounded(source: string): boolean {
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
      if (g === undefined || stack.length === 0) return false;
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
        if (!m) return false;
        i += m[0].length - 1;
        if (m[2] === undefined) {
          // `{n}`: exactly n, no choice to backtrack over.
          afterQuantifier = true;
          continue;
        }
      }
      quantifier = true;
      quantifiers++;
      top.quantified = true;
      if (lastGroup && (lastGroup.quantified || lastGroup.alternation)) return false;
    }
    lastGroup = closed;
    afterQuantifier = quantifier;
  }
  return stack.length === 1 && quantifiers <= MAX_QUANTIFIERS;
}
