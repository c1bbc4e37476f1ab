/** Escaping recorded data for the formats that embed it. */
import type { Position } from "../errors.js";

export function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // XML 1.0 cannot carry most control characters at all.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "\uFFFD");
}

/**
 * A Markdown table cell: no pipes or line breaks, HTML neutralised, and no `@name` that would
 * notify someone from a pull-request comment (a zero-width space after the `@`, as Renovate
 * writes recorded text into its comments).
 */
export function mdCell(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/@(?=[A-Za-z0-9])/g, "@&#8203;");
}

/**
 * Text as a Markdown code span, also inside a table cell: fenced by more backticks than it
 * holds in a row (a tool named with a backtick stays one span), pipes escaped as a table cell
 * needs, and nothing else, since a code span shows `&lt;` as those four characters.
 */
export function mdCode(text: string): string {
  const body = text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  const fence = "`".repeat(Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A GitHub workflow command's message: `%`, CR and LF must be encoded. */
export function ghData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A GitHub workflow command's property value also encodes `:` and `,`. */
export function ghProperty(text: string): string {
  return ghData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * A GitHub workflow annotation, `::error file=F,line=L,col=C,title=T::message`, every part
 * escaped; without a place it has only its title (GitHub shows it on the run, not on a line).
 */
export function ghAnnotation(level: "error" | "warning" | "notice", at: Position | undefined, title: string, message: string): string {
  const where = at ? [`file=${ghProperty(at.file)}`, ...(at.line ? [`line=${at.line}`] : []), ...(at.col ? [`col=${at.col}`] : [])].map((p) => `${p},`).join("") : "";
  return `::${level} ${where}title=${ghProperty(title)}::${ghData(message)}`;
}
