/**
 * Markdown for GitHub comments must stay under 65,000 characters. Sections are added whole,
 * in order of importance; one that does not fit is dropped with a note, never cut in half.
 */
export const MARKDOWN_LIMIT = 65_000;
/** Room kept for the note naming what was left out. */
const NOTE_ROOM = 500;
/** How much of the note names dropped sections; the rest are counted. */
const NOTE_NAMES = 300;

export class MarkdownBudget {
  private parts: string[] = [];
  private used = 0;
  private dropped: string[] = [];

  constructor(private readonly limit = MARKDOWN_LIMIT - NOTE_ROOM) {}

  /** Adds a section if it fits; returns whether it did. */
  add(section: string, name?: string): boolean {
    if (this.used + section.length + 1 > this.limit) {
      if (name) this.dropped.push(name);
      return false;
    }
    this.parts.push(section);
    this.used += section.length + 1;
    return true;
  }

  /** Room left, for callers that build a table row by row. */
  get remaining(): number {
    return this.limit - this.used;
  }

  toString(): string {
    const note = this.dropped.length
      ? `\n> Left out to stay under GitHub's comment size: ${droppedList(this.dropped)}. Run with \`--format json\` for everything.\n`
      : "";
    return this.parts.join("\n") + note;
  }
}

/** The dropped sections by name, as many as fit the note, then how many more. */
function droppedList(names: string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const name of names) {
    const cut = name.length > 80 ? name.slice(0, 79) + "…" : name;
    if (length + cut.length > NOTE_NAMES) break;
    shown.push(cut);
    length += cut.length + 2;
  }
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

/** Builds a table from rows, stopping before `budget` characters; says how many rows were left out. */
export function boundedTable(header: string[], rows: string[][], budget: number): { text: string; omitted: number } {
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`];
  let size = lines[0]!.length + lines[1]!.length + 2;
  let shown = 0;
  for (const row of rows) {
    const line = `| ${row.join(" | ")} |`;
    if (size + line.length + 1 > budget - 120) break;
    lines.push(line);
    size += line.length + 1;
    shown++;
  }
  const omitted = rows.length - shown;
  if (omitted > 0) lines.push("", `_${omitted} more row${omitted === 1 ? "" : "s"} not shown._`);
  return { text: lines.join("\n"), omitted };
}
